using SpectralGate.Engine.Errors;
using SpectralGate.Engine.Gate;
using SpectralGate.Engine.Signatures;
using SpectralGate.Engine.Sources;
using SpectralGate.Tests.Support;

namespace SpectralGate.Engine.Tests.Sources;

/// <summary>
/// Strict selections: an include glob that matches no tensor is an error naming the glob and the model (SG1014),
/// even when the other globs select layers; an exclude glob that matches nothing is allowed (docs/cli.md).
/// </summary>
public class IncludeGlobUseTests
{
    private static string Model => Path.Combine(TestPaths.RepositoryRoot, "samples", "models", "bars-cnn.safetensors");

    private static SpectralSignature Compute(string[] include, string[]? exclude = null)
    {
        using var source = ModelSources.Open(Model);
        return SpectralEngine.Compute(source, new SignatureOptions { Selection = new TensorSelection { Include = include, Exclude = exclude ?? [] } });
    }

    [Test]
    public void AnIncludeGlobMatchingNoTensorIsAnErrorNamingItEvenBesideOneThatMatches()
    {
        var e = Assert.Throws<NothingAnalysedException>(() => Compute(["fc*.weight", "fc9.*", "dense.**"]));

        Assert.That(e!.Problem, Does.Contain("'fc9.*', 'dense.**'").And.Contain("no tensor of the model matches").And.Contain("conv1.bias"));
        Assert.That(e.Problem, Does.Not.Contain("'fc*.weight'"));
        Assert.That(e.FilePath, Does.EndWith("bars-cnn.safetensors"));
        Assert.That(GateCheck.DiagnosticFor(e, Model).Code, Is.EqualTo(GateCodes.NothingAnalysed));
    }

    [Test]
    public void AnIncludeGlobMatchingOnlySkippedTensorsStillCountsAsMatched()
    {
        // fc1.bias is 1-D, so skipped, but the glob names real tensors: the selection is right, the layer just has no spectrum.
        var signature = Compute(["fc*.weight", "fc1.bias"]);

        Assert.That(signature.Layers.Select(l => l.Name), Is.EqualTo(new[] { "fc1.weight", "fc2.weight" }));
    }

    [Test]
    public void AnExcludeGlobMatchingNothingIsAllowed()
    {
        var signature = Compute(["fc*.weight"], exclude: ["lm_head.weight"]);

        Assert.That(signature.Layers, Has.Count.EqualTo(2));
    }
}
