using SpectralGate.Engine.Gate;

namespace SpectralGate.Tasks.Tests;

/// <summary>
/// The MSBuild task never loads the engine, so it spells the codes it logs itself: each must be the engine's constant
/// of the same meaning (GateCodes is the one registry).
/// </summary>
public class GateCodeLiteralsTests
{
    [Test]
    public void TheTasksCodesAreTheEnginesConstants()
    {
        Assert.Multiple(() =>
        {
            Assert.That(SpectralGateResolveModels.BaselineCollisionCode, Is.EqualTo(GateCodes.BaselineCollision));
            Assert.That(SpectralGateResolveModels.StaleBaselineCode, Is.EqualTo(GateCodes.StaleBaseline));
            Assert.That(ToolFailureDiagnostic.Code, Is.EqualTo(GateCodes.ToolFailure));
        });
    }

    [Test]
    public void TheTasksSpellNoOtherCode()
    {
        var source = string.Concat(Directory.EnumerateFiles(Path.Combine(DotnetProcess.RepositoryRoot, "src", "SpectralGate.Tasks"), "*.cs").Select(File.ReadAllText));
        var literals = System.Text.RegularExpressions.Regex.Matches(source, "\"(SG1[0-9]{3})\"").Select(m => m.Groups[1].Value).Distinct();
        Assert.That(literals, Is.EquivalentTo(new[] { GateCodes.BaselineCollision, GateCodes.StaleBaseline, GateCodes.ToolFailure }));
    }
}
