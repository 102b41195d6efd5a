using System.Text.Json;
using SpectralGate.Engine.Baselines;
using SpectralGate.Engine.Trajectories;
using static SpectralGate.Engine.Tests.Signatures.WrittenJson;

namespace SpectralGate.Engine.Tests.Trajectories;

/// <summary>
/// The trajectory formats' first fixtures: files written by the release that introduced them (main 84d00cc,
/// Fixtures/compat/README.md), which every later release must read with every value they hold. No earlier release
/// wrote trajectories, so these are not yet an earlier release's files; they become that with the next release.
/// </summary>
public class TrajectoryFormatFixtureTests
{
    private const string Run = "mlp.2026-12-06.trajectory.json";

    [Test]
    public void TheFirstTrajectoryFileIsReadWithEveryValue()
    {
        string path = Fixture(Run);

        var read = TrajectoryJsonReader.Read(path);

        Assert.Multiple(() => AssertTrajectory(read, Root(path), path));
        Assert.That(read.Records.Select(r => r.Step), Is.EqualTo(new long[] { 0, 10, 100 }), "the run the README describes");
        Assert.That(read.Records.SelectMany(r => r.Layers).Select(l => l["numerical_rank"]), Is.All.Null, "float32: the file holds null metrics");
    }

    [Test]
    public void TheFirstOneRunTrajectoryBaselineIsReadWithItsRunRulesAndBands()
    {
        string path = Fixture("mlp.2026-12-06.trajectory-baseline.json");

        var (baseline, tolerances) = TrajectoryBaselineFile.Read(path);

        var root = Root(path);
        Assert.Multiple(() =>
        {
            AssertTrajectory(baseline.Reference, root, path);
            AssertTolerances(tolerances, root.GetProperty("tolerances"), path);
            Assert.That(root.TryGetProperty("band", out _), Is.False, "a one-run baseline stores no band");
            Assert.That(baseline.Seeds, Is.EqualTo(1));
            // One run: each recorded value is its own band, low = high = mean.
            foreach (var record in root.GetProperty("records").EnumerateArray())
                foreach (var layer in record.GetProperty("layers").EnumerateArray())
                    foreach (var metric in layer.GetProperty("metrics").EnumerateObject())
                    {
                        long step = record.GetProperty("step").GetInt64();
                        var point = baseline.Series(layer.GetProperty("name").GetString()!, metric.Name)!.Single(p => p.Step == step);
                        double? value = NumberOrNull(metric.Value);
                        Assert.That((point.Low, point.High, point.Mean), Is.EqualTo((value, value, value)), $"{path}: step {step}, {metric.Name}");
                    }
        });
    }

    [Test]
    public void TheFirstMultiSeedTrajectoryBaselineIsReadWithEveryBandPoint()
    {
        string path = Fixture("mlp.2026-12-06.seeds.trajectory-baseline.json");

        var (baseline, tolerances) = TrajectoryBaselineFile.Read(path);

        var root = Root(path);
        var band = root.GetProperty("band");
        var series = band.GetProperty("series").EnumerateArray().ToList();
        Assert.Multiple(() =>
        {
            AssertTrajectory(baseline.Reference, root, path);
            AssertTolerances(tolerances, root.GetProperty("tolerances"), path);
            Assert.That(baseline.Method, Is.EqualTo(band.GetProperty("method").GetString() switch
            {
                "envelope" => BandMethod.Envelope,
                "mean-sd" => BandMethod.MeanSd,
                var other => throw new AssertionException($"{path}: band method '{other}' unknown to this test"),
            }));
            Assert.That(baseline.K, Is.EqualTo(NumberOrNull(band.GetProperty("k"))));
            Assert.That(baseline.Seeds, Is.EqualTo(band.GetProperty("seeds").GetInt32()));
            Assert.That(baseline.Bands, Has.Count.EqualTo(series.Count), $"{path}: band series");
            foreach (var s in series)
            {
                var key = new BandKey(s.GetProperty("tier").GetString()!, s.GetProperty("layer").GetString()!, s.GetProperty("metric").GetString()!);
                Assert.That(baseline.Bands, Contains.Key(key));
                Assert.That(baseline.Bands[key], Is.EqualTo(s.GetProperty("points").EnumerateArray().Select(p => new BandPoint(p.GetProperty("step").GetInt64(),
                    NumberOrNull(p.GetProperty("low")), NumberOrNull(p.GetProperty("high")), NumberOrNull(p.GetProperty("mean")), p.GetProperty("undefined").GetInt32()))),
                    $"{path}: band of {key}");
            }
        });
        Assert.That(series.Select(s => s.GetProperty("points").GetArrayLength()).Distinct(), Is.EqualTo(new[] { 3 }), "the seeds' three steps");
        Assert.That(baseline.Series("fc1.weight", "numerical_rank")!.Select(p => p.Undefined), Is.All.EqualTo(2), "float32: points undefined in both seeds");
    }

    /// <summary>A trajectory's version, settings and every record: step, source, hash, tier, scalars and layers.</summary>
    private static void AssertTrajectory(Trajectory read, JsonElement root, string where)
    {
        Assert.That(read.FormatVersion, Is.EqualTo(root.GetProperty("format_version").GetInt32()), where);
        AssertSettings(read.Settings, root.GetProperty("settings"), where);
        var records = root.GetProperty("records").EnumerateArray().ToList();
        Assert.That(read.Records, Has.Count.EqualTo(records.Count), $"{where}: records");
        for (int i = 0; i < records.Count; i++)
        {
            var (record, text) = (read.Records[i], records[i]);
            string at = $"{where}, record {i}";
            Assert.That(record.Step, Is.EqualTo(text.GetProperty("step").GetInt64()), at);
            Assert.That(record.Source, Is.EqualTo(text.GetProperty("source").GetString()), at);
            Assert.That(record.Sha256, Is.EqualTo(text.GetProperty("sha256").GetString()), at);
            Assert.That(record.Tier, Is.EqualTo(text.GetProperty("tier").GetString()), at);
            Assert.That(record.Scalars, Is.EquivalentTo(text.GetProperty("scalars").EnumerateObject().Select(p => new KeyValuePair<string, double>(p.Name, Number(p.Value)))), at);
            AssertLayers(record.Layers, text.GetProperty("layers"), at);
        }
    }
}
