using SpectralGate.Engine.Baselines;
using SpectralGate.Engine.Reports;
using SpectralGate.Engine.Signatures;
using SpectralGate.Engine.Sources;
using SpectralGate.Tests.Support;

namespace SpectralGate.Engine.Tests.Architecture;

/// <summary>The calls of docs/architecture.md's xUnit example, which any test framework can make: only the assertion is NUnit's here.</summary>
public class EngineWithoutNUnitTests
{
    [Test]
    public void AModelMatchesABaselineItWroteAndFailsOneOfAnotherModel()
    {
        string baselinePath = Path.Combine(TestPaths.NewScratchFolder(), "bars-cnn.spectral.json");
        string model = Path.Combine(TestPaths.RepositoryRoot, "samples", "models", "bars-cnn.safetensors");
        using (var accepted = ModelSources.Open(model))
            BaselineFile.Write(baselinePath, SpectralEngine.Compute(accepted), new TolerancePolicy());

        using var source = ModelSources.Open(model);
        SpectralSignature actual = SpectralEngine.Compute(source);
        var (baseline, rules) = BaselineFile.Read(baselinePath);
        SignatureComparison comparison = SignatureComparer.Compare(baseline, actual, TolerancePolicy.FromRules(rules));

        Assert.That(comparison.IsMatch, Is.True, ComparisonTable.Render(comparison));

        var noisy = TestSignatures.Of(actual.Layers.Select(l => TestSignatures.Layer(l.Name, l.Shape, ("stable_rank", 2 * (l["stable_rank"] ?? 1)))).ToArray());
        var changed = SignatureComparer.Compare(baseline, noisy, TolerancePolicy.FromRules(rules));
        Assert.That(changed.IsMatch, Is.False);
        Assert.That(ComparisonTable.Render(changed), Does.Contain("stable_rank"));
    }
}
