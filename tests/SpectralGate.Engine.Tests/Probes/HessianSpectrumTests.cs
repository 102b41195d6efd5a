using SpectralGate.Engine.Probes;
using TorchSharp;
using static TorchSharp.torch;

namespace SpectralGate.Engine.Tests.Probes;

/// <summary>Quadratic losses ½ xᵀAx have Hessian A: the probe must recover its known spectrum.</summary>
public class HessianSpectrumTests
{
    private static (Func<Tensor> Loss, Tensor X) Quadratic(double[] diagonal, double[,]? full = null)
    {
        int n = diagonal.Length;
        var x = torch.ones(n, dtype: ScalarType.Float64).requires_grad_(true);
        var a = full is null ? torch.diag(torch.tensor(diagonal)) : torch.tensor(full.Cast<double>().ToArray(), [n, n]);
        return (() => 0.5 * x.matmul(a.matmul(x)), x);
    }

    [Test]
    public void PowerIterationWithDeflationFindsTheTopEigenvalues()
    {
        var (loss, x) = Quadratic([1, 2, 3, 4]);

        double[] top = new HessianSpectrum(loss, [x], seed: 1).TopEigenvalues(2, tolerance: 1e-6, maxIterations: 500);

        Assert.That(top[0], Is.EqualTo(4).Within(1e-3));
        Assert.That(top[1], Is.EqualTo(3).Within(1e-3));
    }

    [Test]
    public void TheHessianLayerHasItsKindAndOnlyItsKindsMetrics()
    {
        var (loss, x) = Quadratic([1, 2, 3, 4]);

        var layer = new HessianSpectrum(loss, [x], seed: 1).Layer(traceSamples: 3);

        Assert.That(layer.Name, Is.EqualTo("probe:hessian"));
        Assert.That(layer.Kind, Is.EqualTo(SpectralGate.Engine.Matrices.LayerKind.Hessian));
        Assert.That(layer.Metrics.Keys, Is.EquivalentTo(ProbeLayerKinds.MetricsOf(layer.Kind)));
        Assert.That(layer[ProbeMetricNames.HessianTrace], Is.EqualTo(10).Within(1e-12), "Hutchinson is exact for a diagonal Hessian");
        Assert.That(layer[ProbeMetricNames.HessianTopEigenvalue], Is.EqualTo(4).Within(1e-2));
    }

    [Test]
    public void HutchinsonIsExactForADiagonalHessian()
    {
        // zᵀ A z = Σ a_i z_i² = Σ a_i for Rademacher z when A is diagonal.
        var (loss, x) = Quadratic([1, 2, 3, 4]);

        Assert.That(new HessianSpectrum(loss, [x], seed: 2).Trace(samples: 3), Is.EqualTo(10).Within(1e-12));
    }

    [Test]
    public void HutchinsonEstimatesTheTraceOfADenseHessian()
    {
        var (loss, x) = Quadratic([0, 0, 0], new double[,] { { 2, 1, 0 }, { 1, 3, 1 }, { 0, 1, 4 } });

        Assert.That(new HessianSpectrum(loss, [x], seed: 3).Trace(samples: 400), Is.EqualTo(9).Within(10).Percent);
    }

    [Test]
    public void LanczosOnDiag1234RecoversTheNodesWithEqualWeights()
    {
        // A start with equal components on the four eigenvectors gives each node the weight 1/4 exactly.
        var (loss, x) = Quadratic([1, 2, 3, 4]);
        var probe = new HessianSpectrum(loss, [x], seed: 4);

        var density = probe.Lanczos(4, [torch.ones(4, dtype: ScalarType.Float64)]);
        var random = probe.Lanczos(4);

        Assert.That(density.Nodes.Order(), Is.EqualTo(new[] { 1.0, 2, 3, 4 }).Within(1e-6));
        Assert.That(density.Weights, Is.All.EqualTo(0.25).Within(1e-9));
        Assert.That(random.Nodes.Order(), Is.EqualTo(new[] { 1.0, 2, 3, 4 }).Within(1e-6));
        Assert.That(random.Weights.Sum(), Is.EqualTo(1).Within(1e-9));
    }
}
