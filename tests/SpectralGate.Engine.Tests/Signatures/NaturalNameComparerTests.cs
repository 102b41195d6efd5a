using SpectralGate.Engine.Names;
using SpectralGate.Engine.Signatures;

namespace SpectralGate.Engine.Tests.Signatures;

public class NaturalNameComparerTests
{
    [Test]
    public void NumbersCompareAsNumbers()
    {
        string[] names = ["layers.10.w", "layers.2.w", "layers.1.w", "embed", "layers.02.w"];

        var sorted = names.Order(NaturalNameComparer.Instance).ToArray();

        Assert.That(sorted, Is.EqualTo(new[] { "embed", "layers.1.w", "layers.02.w", "layers.2.w", "layers.10.w" }));
    }
}
