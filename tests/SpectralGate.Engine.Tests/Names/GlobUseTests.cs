using SpectralGate.Engine.Names;

namespace SpectralGate.Engine.Tests.Names;

/// <summary>One record of which globs matched the names streamed by, for include globs and kind-map globs alike.</summary>
public class GlobUseTests
{
    [Test]
    public void TheGlobsThatMatchedNoNameAreListedInTheOrderGiven()
    {
        var use = new GlobUse(["zz.*", "fc*.weight", "conv?.bias", "**.missing"]);
        foreach (string name in new[] { "conv1.weight", "conv1.bias", "fc1.weight", "fc2.weight" }) use.See(name);

        Assert.That(use.Unmatched, Is.EqualTo(new[] { "zz.*", "**.missing" }));
    }

    [Test]
    public void TheFirstFiveNamesAreKeptAsExamples()
    {
        var use = new GlobUse([]);
        foreach (int i in Enumerable.Range(0, 8)) use.See($"layer{i}");

        Assert.That((use.Examples, use.Unmatched), Is.EqualTo((new[] { "layer0", "layer1", "layer2", "layer3", "layer4" }, Array.Empty<string>())));
    }
}
