using SpectralGate.Engine.Metrics;
using SpectralGate.Engine.Signatures;
using SpectralGate.Engine.Sources.Safetensors;
using SpectralGate.Engine.Spectra;
using SpectralGate.Tests.Support;
using static TorchSharp.torch;

namespace SpectralGate.Engine.Tests.Metrics;

/// <summary>Correlation traps: the shuffle, rand_distance against hand-worked values, and the closed cases of issue 18.</summary>
public class CorrelationTrapsTests
{
    [Test]
    public void SplitMix64GivesVignasReferenceStream()
    {
        // splitmix64.c seeded with 1234567 (the vector rand_xoshiro tests against).
        var random = new SplitMix64(1234567);

        Assert.That(new[] { random.Next(), random.Next(), random.Next() },
            Is.EqualTo(new[] { 6457827717110365317UL, 3203168211198807973UL, 9817491932198370423UL }));
    }

    [Test]
    public void TheShuffleIsAPermutationFixedByTheLayerName()
    {
        using var w = arange(0, 60, ScalarType.Float64).reshape(1, 6, 10);

        double[] a = ElementPermutation.Permute(w, "fc.weight").flatten().data<double>().ToArray();
        double[] again = ElementPermutation.Permute(w, "fc.weight").flatten().data<double>().ToArray();
        double[] other = ElementPermutation.Permute(w, "fc2.weight").flatten().data<double>().ToArray();

        Assert.Multiple(() =>
        {
            Assert.That(a.Order(), Is.EqualTo(Enumerable.Range(0, 60).Select(i => (double)i)));
            Assert.That(a, Is.Not.EqualTo(Enumerable.Range(0, 60).Select(i => (double)i)));
            Assert.That(again, Is.EqualTo(a));
            Assert.That(other, Is.Not.EqualTo(a));
        });
    }

    [Test]
    public void RandDistanceIsTheJensenShannonDistanceOfTheNormalisedSortedSpectra()
    {
        Assert.Multiple(() =>
        {
            Assert.That(CorrelationTraps.RandDistanceOf([2, 1], [4, 2]), Is.EqualTo(0).Within(1e-15), "same shape after normalising");
            // p = (1, 0), q = (0, 1): m = (1/2, 1/2), JSD = ln 2.
            Assert.That(CorrelationTraps.RandDistanceOf([1, 0], [0, 1]), Is.EqualTo(Math.Sqrt(Math.Log(2))).Within(1e-15));
            // p = (3/4, 1/4), q = (1/2, 1/2), m = (5/8, 3/8): JSD = ½[¾ln(6/5) + ¼ln(2/3)] + ½[½ln(4/5) + ½ln(4/3)].
            double jsd = 0.5 * (0.75 * Math.Log(1.2) + 0.25 * Math.Log(2.0 / 3)) + 0.5 * (0.5 * Math.Log(0.8) + 0.5 * Math.Log(4.0 / 3));
            Assert.That(CorrelationTraps.RandDistanceOf([3, 1], [1, 1]), Is.EqualTo(Math.Sqrt(jsd)).Within(1e-15));
            Assert.That(Math.Sqrt(jsd), Is.EqualTo(0.18390779).Within(1e-8));
            Assert.That(CorrelationTraps.RandDistanceOf([1, 2], [1]), Is.Null, "spectra of different lengths");
        });
    }

    private static LayerSignature Layer(Tensor w)
    {
        string path = DeltaFixtures.Checkpoint(("w.weight", w));
        using var source = new SafetensorsFileSource(path);
        return SpectralEngine.Compute(source, new SignatureOptions { CorrelationTraps = true }).Layers.Single();
    }

    [Test]
    public void ARandomMatrixHasNoTrap()
    {
        var layer = Layer(DeltaFixtures.Gaussian(200, 100, seed: 1));

        Assert.Multiple(() =>
        {
            Assert.That(layer[CorrelationTraps.NumRandSpikes], Is.EqualTo(0));
            Assert.That(layer.HasLabel(HealthLabels.CorrelationTrap), Is.False);
            Assert.That(layer[CorrelationTraps.RandDistance], Is.LessThan(0.05), "a random matrix shuffles to the same ESD");
        });
    }

    [Test]
    public void OnePlantedHugeElementMakesOneTrap()
    {
        // ‖W‖²_F ≈ 200·100 + 100² = 30000, so σ² ≈ 1.5 and the edge is σ²(√200+√100)² ≈ 890; the element alone
        // gives an eigenvalue near 100² = 10⁴ wherever the shuffle puts it.
        var w = DeltaFixtures.Gaussian(200, 100, seed: 2);
        w[7, 11] = tensor(100.0);

        var layer = Layer(w);

        Assert.Multiple(() =>
        {
            Assert.That(layer[CorrelationTraps.NumRandSpikes], Is.EqualTo(1));
            Assert.That(layer.HasLabel(HealthLabels.CorrelationTrap), Is.True);
        });
    }

    [Test]
    public void AStructuredLowRankMatrixGivesALargeRandDistance()
    {
        // Rank 3: three eigenvalues hold everything, while its shuffle spreads the same mass over a Marchenko–Pastur bulk.
        var w = DeltaFixtures.Gaussian(200, 3, seed: 3).matmul(DeltaFixtures.Gaussian(3, 100, seed: 4));

        var layer = Layer(w);

        Assert.Multiple(() =>
        {
            Assert.That(layer[CorrelationTraps.RandDistance], Is.GreaterThan(0.5));
            Assert.That(layer.HasLabel(HealthLabels.CorrelationTrap), Is.False, "no single element stands out");
        });
    }

    [Test]
    public void OffByDefaultWithNoMetricLabelOrSetting()
    {
        string path = DeltaFixtures.Checkpoint(("w.weight", DeltaFixtures.Gaussian(40, 20, seed: 5)));
        using var source = new SafetensorsFileSource(path);

        var signature = SpectralEngine.Compute(source);

        Assert.Multiple(() =>
        {
            Assert.That(signature.Layers.Single().Metrics.Keys, Does.Not.Contain(CorrelationTraps.RandDistance).And.Not.Contain(CorrelationTraps.NumRandSpikes));
            Assert.That(signature.Settings.Keys, Does.Not.Contain("correlation_traps"));
            Assert.That(SpectralEngine.Settings(new SignatureOptions { CorrelationTraps = true })["correlation_traps"], Is.EqualTo("on"));
        });
    }
}
