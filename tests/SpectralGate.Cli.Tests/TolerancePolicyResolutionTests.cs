using System.Text.Json.Nodes;
using SpectralGate.Engine.Baselines;
using SpectralGate.Engine.Gate;
using SpectralGate.Engine.Metrics;
using SpectralGate.Engine.Signatures;
using SpectralGate.Engine.Runtime;
using SpectralGate.Engine.Snapshots;
using SpectralAssert.Snapshots;
using SpectralGate.Engine.Sources.Safetensors;
using SpectralGate.Tests.Support;
using static TorchSharp.torch;

namespace SpectralGate.Cli.Tests;

/// <summary>
/// Snapshots, <c>check</c> (in-process and the CLI the MSBuild gate runs) and <c>diff</c> resolve tolerances the same
/// way: overrides &gt; recorded rules &gt; recorded defaults &gt; built-in defaults, so they give the same verdict.
/// </summary>
public class TolerancePolicyResolutionTests
{
    private sealed record Pair(string Model, string Baseline, SpectralSignature Actual);

    /// <summary>
    /// A baseline whose alpha is 0.5 below the model's (beyond the built-in ±(0.1 + 5%), within its recorded rule
    /// ±(0.6 + 0)) and whose stable_rank is 10% below (beyond the built-in 2%, within its recorded default of 20%).
    /// </summary>
    private static Pair Make()
    {
        string folder = TestPaths.NewScratchFolder();
        using var w = randn([64, 48], generator: new Generator(11)) / (rand([64, 48], generator: new Generator(12)) + 0.3);
        string model = Path.Combine(folder, "m.safetensors");
        File.Copy(SafetensorsFixtures.Write(SafetensorsWriter.Float32("fc.weight", [64, 48], w.data<float>().ToArray())), model);
        using var source = new SafetensorsFileSource(model);
        var actual = SpectralEngine.Compute(source);
        var layer = actual.Layers.Single();
        var moved = new SortedDictionary<string, double?>(layer.Metrics.ToDictionary(p => p.Key, p => p.Value), StringComparer.Ordinal)
        {
            [MetricNames.Alpha] = layer[MetricNames.Alpha]!.Value - 0.5,
            [MetricNames.StableRank] = layer[MetricNames.StableRank]!.Value / 1.1,
        };
        var baseline = new SpectralSignature
        {
            Model = actual.Model, Settings = actual.Settings, Skipped = actual.Skipped,
            Layers = [new LayerSignature { Name = layer.Name, Shape = layer.Shape, Kind = layer.Kind, Metrics = moved, Labels = layer.Labels }],
        };
        string path = Path.Combine(folder, "m.spectral.json");
        var json = JsonNode.Parse(BaselineFile.ToBytes(baseline, new TolerancePolicy().For("alpha", 0.6, 0)))!;
        json["tolerances"]!["defaults"]![MetricNames.StableRank]!["rtol"] = 0.2;
        File.WriteAllText(path, json.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }) + "\n");
        return new Pair(model, path, actual);
    }

    private static bool Snapshot(Pair p, TolerancePolicy overrides)
    {
        var paths = new SnapshotPaths(p.Baseline, p.Baseline + ".received");
        return SpectralSnapshot.Check(p.Actual, paths, new SnapshotSettings { Tolerances = overrides }, null) is null;
    }

    private static bool Check(Pair p, IReadOnlyList<ToleranceRule> overrides) =>
        !GateCheck.Run(new GateRequest { ModelPath = p.Model, BaselinePath = p.Baseline, ToleranceOverrides = overrides }).HasErrors;

    private static bool Cli(string command, Pair p, string[] overrides)
    {
        string[] args = command == "check" ? ["check", p.Model, "--baseline", p.Baseline] : ["diff", p.Baseline, p.Model];
        var result = CliRunner.Run([.. args, .. overrides.SelectMany(o => new[] { "--tolerance", o })]);
        Assert.That(result.ExitCode, Is.AnyOf(0, 1), result.Error);
        return result.ExitCode == 0;
    }

    [Test]
    public void AllFourResolveRecordedRulesAndRecordedDefaults()
    {
        var p = Make();

        Assert.Multiple(() =>
        {
            Assert.That(Snapshot(p, new TolerancePolicy()), Is.True, "snapshot");
            Assert.That(Check(p, []), Is.True, "check");
            Assert.That(Cli("check", p, []), Is.True, "CLI check (the MSBuild gate)");
            Assert.That(Cli("diff", p, []), Is.True, "diff");
        });
    }

    [Test]
    public void AllFourLetAnOverrideWinOverTheRecordedRules()
    {
        var p = Make();
        var tight = new TolerancePolicy().For("alpha", 0.1, 0.05);

        Assert.Multiple(() =>
        {
            Assert.That(Snapshot(p, tight), Is.False, "snapshot");
            Assert.That(Check(p, tight.Rules), Is.False, "check");
            Assert.That(Cli("check", p, ["alpha=0.1,0.05"]), Is.False, "CLI check (the MSBuild gate)");
            Assert.That(Cli("diff", p, ["alpha=0.1,0.05"]), Is.False, "diff");
        });
    }

    [Test]
    public void WithoutTheRecordedDefaultTheBuiltInOneFails()
    {
        var p = Make();
        var json = JsonNode.Parse(File.ReadAllText(p.Baseline))!;
        json["tolerances"]!["defaults"]!.AsObject().Remove(MetricNames.StableRank);
        File.WriteAllText(p.Baseline, json.ToJsonString());

        Assert.That(Check(p, []), Is.False, "stable_rank moved 10%, beyond the built-in 2%");
    }
}
