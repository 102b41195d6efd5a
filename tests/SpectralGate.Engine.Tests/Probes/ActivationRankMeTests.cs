using SpectralGate.Engine.Probes;
using TorchSharp;
using static TorchSharp.torch;

namespace SpectralGate.Engine.Tests.Probes;

/// <summary>
/// <c>rankme</c> of an activation probe layer against values derived in the test: RankMe's definition (Garrido et al. 2023:
/// exp of the entropy of σ/Σσ + 1e-7 over the min(N, d) singular values of the raw embeddings), written out here.
/// </summary>
public class ActivationRankMeTests
{
    private const double Epsilon = 1e-7;

    /// <summary>Z = U·diag(σ)·Vᵀ with orthonormal U (n × k) and V (d × k), float64: the singular values are σ by construction.</summary>
    private static Tensor Planted(int n, int d, double[] sigma, long seed)
    {
        var generator = new Generator((ulong)seed);
        int k = sigma.Length;
        var (u, _) = linalg.qr(randn([n, k], dtype: ScalarType.Float64, generator: generator));
        var (v, _) = linalg.qr(randn([d, k], dtype: ScalarType.Float64, generator: generator));
        return u.matmul(diag(tensor(sigma))).matmul(v.t());
    }

    /// <summary>The layer's rankme after the embeddings ran through an identity module in batches of <paramref name="batch"/> (the stream merges them).</summary>
    private static double ProbedRankMe(Tensor z, int batch)
    {
        var model = nn.Sequential(("emb", nn.Identity()));
        using var probe = new ActivationProbe(model, ["emb"]);
        using (no_grad())
            for (long start = 0; start < z.shape[0]; start += batch)
                model.call(z[TensorIndex.Slice(start, Math.Min(start + batch, z.shape[0]))]);
        return probe.Layers().Single().Metrics[ProbeMetricNames.RankMe]!.Value;
    }

    /// <summary>RankMe from its definition, over the singular values given (zeros included: they count as p = ε).</summary>
    private static double Definition(IEnumerable<double> sigma)
    {
        double[] s = sigma.ToArray();
        double total = s.Sum(), entropy = 0;
        foreach (double x in s)
        {
            double p = x / total + Epsilon;
            entropy -= p * Math.Log(p);
        }
        return Math.Exp(entropy);
    }

    [Test]
    public void EmbeddingsWithSingularValuesThreeTwoOneGiveTheReferenceVector()
    {
        // docs/probes.md and metrics-reference.md: σ = [3, 2, 1] -> 2.7494594344 (d = 3, so no zero singular value).
        using var scope = NewDisposeScope();
        Assert.That(ProbedRankMe(Planted(64, 3, [3, 2, 1], seed: 1), batch: 16), Is.EqualTo(2.7494594344).Within(1e-9));
    }

    [TestCase(1)]
    [TestCase(5)]
    [TestCase(12)]
    public void ARankKEmbeddingHasRankMeK(int k)
    {
        using var scope = NewDisposeScope();
        const int n = 200, d = 48;
        var z = Planted(n, d, Enumerable.Repeat(2.5, k).ToArray(), seed: 10 + k);

        double rankMe = ProbedRankMe(z, batch: 64);

        // k singular values 2.5 and min(n, d) − k zeros: p = 1/k + ε (k times) and ε (d − k times).
        double expected = Math.Exp(-k * (1.0 / k + Epsilon) * Math.Log(1.0 / k + Epsilon) - (d - k) * Epsilon * Math.Log(Epsilon));
        Assert.That(rankMe, Is.EqualTo(expected).Within(1e-9 * expected));
        Assert.That(rankMe, Is.EqualTo(k).Within(1e-4 * d), "≈ k: the ε terms add (d − k)·1.6e-6 to the entropy");
    }

    [Test]
    public void FullRankEmbeddingsWithAnOffsetMatchSvdvalsOfTheRawMatrixNotOfTheCentredOne()
    {
        using var scope = NewDisposeScope();
        var generator = new Generator(3);
        // A common offset (as after a ReLU) and decaying column scales: raw and centred singular values differ a lot.
        var scales = pow(tensor(0.8, ScalarType.Float64), arange(40, ScalarType.Float64));
        var z = randn([300, 40], dtype: ScalarType.Float64, generator: generator) * scales + 1.5;

        double rankMe = ProbedRankMe(z, batch: 70);

        double raw = Definition(linalg.svdvals(z).data<double>().ToArray());
        double centred = Definition(linalg.svdvals(z - z.mean([0])).data<double>().ToArray());
        Assert.That(rankMe, Is.EqualTo(raw).Within(1e-9 * raw));
        Assert.That(Math.Abs(raw - centred), Is.GreaterThan(0.5), "the test tells the two conventions apart");
    }

    [Test]
    public void FewerTokensThanFeaturesCountOnlyTheTokensSingularValues()
    {
        using var scope = NewDisposeScope();
        var z = randn([6, 30], dtype: ScalarType.Float64, generator: new Generator(4));

        double rankMe = ProbedRankMe(z, batch: 4);

        // svdvals of a 6 × 30 matrix gives 6 values: the other 24 eigenvalues of ZᵀZ are not singular values of Z.
        double expected = Definition(linalg.svdvals(z).data<double>().ToArray());
        Assert.That(rankMe, Is.EqualTo(expected).Within(1e-9 * expected));
    }
}
