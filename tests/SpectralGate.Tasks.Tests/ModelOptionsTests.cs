using System.Xml.Linq;
using SpectralGate.Engine.Signatures;

namespace SpectralGate.Tasks.Tests;

/// <summary>
/// The MSBuild gate can pass every computation option the CLI has: the task's table (it never loads the engine) has a
/// row per engine option with the same metadata, flag and arity, the task a property of that name, the shipped targets
/// pass the item's metadata to it, and docs/gate.md lists it.
/// </summary>
public class ModelOptionsTests
{
    public static IEnumerable<ComputationOption> InTheGate() => ComputationOptions.All.Where(o => o.MsBuildMetadata is not null);

    [Test]
    public void EveryCliOptionIsInTheGateOrSaysWhyNot()
    {
        foreach (var option in ComputationOptions.All.Where(o => o.CliFlag is not null))
            Assert.That(option.MsBuildMetadata ?? option.NotInGate, Is.Not.Null, option.CliFlag);
        var engine = InTheGate().Select(o => o.MsBuildMetadata).ToHashSet();
        Assert.That(ModelOptions.All.Select(o => o.Metadata).Where(m => !engine.Contains(m)), Is.EqualTo(new[] { "Tolerances", "Interpolate", "FailOnEquivalentChange" }), "rows that are no computation option");
    }

    [TestCaseSource(nameof(InTheGate))]
    public void TheTaskPassesItWithTheCliFlag(ComputationOption option)
    {
        var row = ModelOptions.All.SingleOrDefault(o => o.Metadata == option.MsBuildMetadata);
        Assert.That(row, Is.Not.Null, $"{option.MsBuildMetadata}: no row in the task's ModelOptions");
        Assert.That(row!.Flag, Is.EqualTo(option.CliFlag));
        var property = typeof(SpectralGateCheck).GetProperty(option.MsBuildMetadata!);
        Assert.That(property?.PropertyType, Is.EqualTo(option.Arity switch
        {
            OptionArity.Switch => typeof(bool),
            OptionArity.Values => typeof(string[]),
            _ => typeof(string),
        }), $"SpectralGateCheck.{option.MsBuildMetadata}");
    }

    [TestCaseSource(nameof(InTheGate))]
    public void TheTargetsPassTheItemsMetadata(ComputationOption option)
    {
        var targets = XDocument.Load(Path.Combine(DotnetProcess.RepositoryRoot, "src", "SpectralGate.Tasks", "build", "SpectralGate.Tasks.targets"));
        var check = targets.Descendants("SpectralGateCheck").Single();
        Assert.That(check.Attribute(option.MsBuildMetadata!)?.Value, Is.EqualTo($"%(_SpectralGateModel.{option.MsBuildMetadata})"));
    }

    [TestCaseSource(nameof(InTheGate))]
    public void TheGateDocumentListsIt(ComputationOption option)
    {
        var rows = File.ReadLines(Path.Combine(DotnetProcess.RepositoryRoot, "docs", "gate.md")).Where(l => l.StartsWith("| `", StringComparison.Ordinal));
        Assert.That(rows.Count(r => r.Split('|')[1].Contains($"`{option.MsBuildMetadata}`", StringComparison.Ordinal)), Is.EqualTo(1));
    }

    [Test]
    public void LayerKindsAndCorrelationTrapsReachTheCli()
    {
        var task = new SpectralGateCheck
        {
            Model = "m.safetensors", Baseline = "b.json", CliPath = "/tools/spectralgate.dll",
            CorrelationTraps = true, LayerKinds = ["blocks.*.mlp=linear", "emb=embedding"],
        };

        Assert.That(task.BuildCommandLine(), Does.Contain("--correlation-traps --layer-kind \"blocks.*.mlp=linear\" --layer-kind emb=embedding"));
    }
}
