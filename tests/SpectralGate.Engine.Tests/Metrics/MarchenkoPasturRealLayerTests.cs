using SpectralGate.Engine.Metrics;
using TorchSharp;
using static TorchSharp.torch;

namespace SpectralGate.Engine.Tests.Metrics;

/// <summary>
/// The default MP estimator (<see cref="MpSigmaEstimator.BulkMedian"/>) on layers shaped like real ones: rank-deficient,
/// low-rank plus noise, and an embedding's aspect ratio, each against the random-matrix closed forms.
/// </summary>
[NonParallelizable]
public class MarchenkoPasturRealLayerTests
{
    private static double[] Eigenvalues(Tensor w)
    {
        using var scope = NewDisposeScope();
        var values = linalg.eigvalsh(w.T.matmul(w)).data<double>().ToArray();
        Array.Sort(values);
        Array.Reverse(values);
        return values;
    }

    private static MarchenkoPasturFit Fit(double[] eigenvalues, int n, int m)
    {
        var fit = MarchenkoPastur.Fit(eigenvalues, n, m, MpSigmaEstimator.BulkMedian, NumericalRank.EigenvalueFloor(eigenvalues, n, m, convention: NumericalRankConvention.GramEigenvalues));
        Assert.That(fit, Is.Not.Null);
        return fit!;
    }

    [Test]
    public void GaussianMatrixHasItsSigmaTheMpEdgeAndNoSpike()
    {
        const int n = 2000, m = 500;
        const double sigma = 0.7;
        var eigenvalues = Eigenvalues(sigma * randn(n, m, ScalarType.Float64, generator: new Generator(41)));

        var fit = Fit(eigenvalues, n, m);

        Assert.That(fit.Sigma, Is.EqualTo(sigma).Within(0.01 * sigma));
        // λ₊ of WᵀW is Nσ²(1 + √(M/N))².
        Assert.That(fit.BulkMax, Is.EqualTo(n * sigma * sigma * 2.25).Within(0.02 * n * sigma * sigma * 2.25));
        Assert.That(fit.NumSpikes, Is.Zero);
    }

    [Test]
    public void PlantedSignalsAboveTheBbpThresholdAreTheSpikesAtTheirPredictedPlaces()
    {
        // Spiked covariance: rows of W are N(0, Σ), Σ = I + Σᵢ θᵢ eᵢeᵢᵀ (column i scaled by √(1 + θᵢ)), y = M/N. For θ > √y
        // the eigenvalue of WᵀW/N separates from the bulk and converges to ψ(θ) = (1 + θ)(θ + y)/θ (Baik–Silverstein 2006;
        // metrics-reference §5's ℓ(1 + γσ²/(ℓ − σ²)) with ℓ = 1 + θ), with standard deviation
        // √(2(1+θ)²(1 − y/θ²)/N) (Paul 2007; Bai–Yao 2008). Below √y it sticks to the edge (1 + √y)².
        const int n = 2000, m = 500;
        const double y = (double)m / n;
        double[] thetas = [6, 3, 1.5];
        Assert.That(thetas.Min(), Is.GreaterThan(Math.Sqrt(y)));
        using var scope = NewDisposeScope();
        var w = randn(n, m, ScalarType.Float64, generator: new Generator(43));
        for (int i = 0; i < thetas.Length; i++) w[.., i] *= Math.Sqrt(1 + thetas[i]);
        w[.., 3] *= Math.Sqrt(1 + 0.3); // below the BBP threshold: no spike
        var eigenvalues = Eigenvalues(w);

        var fit = Fit(eigenvalues, n, m);

        Assert.That(fit.NumSpikes, Is.EqualTo(thetas.Length));
        for (int i = 0; i < thetas.Length; i++)
        {
            double theta = thetas[i];
            double predicted = (1 + theta) * (theta + y) / theta;
            double sd = Math.Sqrt(2 * (1 + theta) * (1 + theta) * (1 - y / (theta * theta)) / n);
            Assert.That(eigenvalues[i] / n, Is.EqualTo(predicted).Within(4 * sd), $"outlier of θ = {theta}");
        }
        Assert.That(fit.Sigma, Is.EqualTo(1).Within(0.01));
    }

    [Test]
    public void ExactlyLowRankLayerIsFittedWithItsEffectiveAspectRatio()
    {
        // W = G V, G N × r Gaussian, V r × M with orthonormal rows: the r nonzero eigenvalues of WᵀW are those of GᵀG, an
        // MP law of ratio r/N, and the other M − r are zero.
        const int n = 2000, m = 500, r = 120;
        const double sigma = 0.3;
        using var scope = NewDisposeScope();
        var (q, _) = linalg.qr(randn(m, r, ScalarType.Float64, generator: new Generator(45)));
        var eigenvalues = Eigenvalues(sigma * randn(n, r, ScalarType.Float64, generator: new Generator(46)).matmul(q.T));

        var fit = Fit(eigenvalues, n, m);

        Assert.That(fit.Sigma, Is.EqualTo(sigma).Within(0.01 * sigma));
        double edge = n * sigma * sigma * Math.Pow(1 + Math.Sqrt((double)r / n), 2);
        Assert.That(fit.BulkMax, Is.EqualTo(edge).Within(0.02 * edge));
        Assert.That(fit.NumSpikes, Is.Zero);
    }

    [Test]
    public void RankDeficientProductHasAPositiveSigmaAndAtMostHalfItsRankAsSpikes()
    {
        // W = A B with inner rank r: M − r eigenvalues are zero. The trimmed mean used to fall to round-off (σ̂ ≈ 1e-14) and
        // call all r nonzero eigenvalues spikes.
        const int n = 2000, m = 500, r = 100;
        using var scope = NewDisposeScope();
        var a = randn(n, r, ScalarType.Float64, generator: new Generator(47));
        var b = randn(r, m, ScalarType.Float64, generator: new Generator(48)) / Math.Sqrt(m);
        var eigenvalues = Eigenvalues(a.matmul(b));

        var fit = Fit(eigenvalues, n, m);

        Assert.That(double.IsFinite(fit.Sigma) && fit.Sigma > 1e-3, $"mp_sigma {fit.Sigma}");
        Assert.That(fit.NumSpikes, Is.LessThanOrEqualTo(r / 2));
        Assert.That(fit.SoftRank, Is.GreaterThan(0.1));
    }

    [Test]
    public void EmbeddingShapedLayerWithUnevenRowsKeepsMostEigenvaluesInTheBulk()
    {
        // A word embedding 30522 × 384 scaled down by 4 (Q ≈ 79): rows with log-normal norms (frequent and rare tokens) and
        // three planted directions. Q this large makes the MP bulk narrow, (1 ± 1/√Q)² = [0.79, 1.24]: uneven rows widen
        // the real one, which made the trimmed mean trim itself down and call 376 of MiniLM's 384 eigenvalues spikes.
        const int n = 7630, m = 96;
        using var scope = NewDisposeScope();
        var rowScale = (0.5 * randn(n, 1, ScalarType.Float64, generator: new Generator(49))).exp();
        var w = rowScale * randn(n, m, ScalarType.Float64, generator: new Generator(50));
        for (int i = 0; i < 3; i++) w[.., i] *= 3 + i;
        var eigenvalues = Eigenvalues(w);

        var fit = Fit(eigenvalues, n, m);

        Assert.That(fit.NumSpikes, Is.InRange(3, m / 2));
        Assert.That(fit.Sigma, Is.GreaterThan(0.5).And.LessThan(2));
    }
}
