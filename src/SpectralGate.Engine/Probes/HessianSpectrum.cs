using MathNet.Numerics.LinearAlgebra;
using SpectralGate.Engine.Matrices;
using SpectralGate.Engine.Metrics;
using SpectralGate.Engine.Signatures;
using TorchSharp;

namespace SpectralGate.Engine.Probes;

/// <summary>Nodes and weights of a spectral density estimate (stochastic Lanczos quadrature).</summary>
public sealed record SpectralDensity(double[] Nodes, double[] Weights);

/// <summary>
/// Hessian spectra of a loss (PyHessian, Yao et al. 2020), through Hessian-vector products by double
/// back-propagation: top eigenvalues by power iteration with deflation, the trace by Hutchinson's estimator with
/// Rademacher vectors, and the density by Lanczos with full reorthogonalisation. The loss closure recomputes the loss
/// from the parameters on the calibration batch each time it is called.
/// </summary>
public sealed class HessianSpectrum(Func<torch.Tensor> loss, IReadOnlyList<torch.Tensor> parameters, ulong seed = 0)
{
    public const double DefaultTolerance = 1e-3;
    public const int DefaultMaxIterations = 100;

    private readonly torch.Generator _generator = new(seed);

    /// <summary>H·v for v given per parameter.</summary>
    public torch.Tensor[] Product(torch.Tensor[] v)
    {
        var value = loss();
        // PyTorch retains the graph when create_graph is set; TorchSharp needs it said, or the second pass aborts natively.
        var grads = torch.autograd.grad([value], parameters.ToList(), retain_graph: true, create_graph: true);
        var dot = grads.Zip(v, (g, x) => (g * x).sum()).Aggregate((a, b) => a + b);
        var hv = torch.autograd.grad([dot], parameters.ToList());
        return hv.Select(t => t.detach()).ToArray();
    }

    /// <summary>The k eigenvalues of largest magnitude, by power iteration deflated against those already found.</summary>
    public double[] TopEigenvalues(int k = 1, double tolerance = DefaultTolerance, int maxIterations = DefaultMaxIterations)
    {
        var found = new List<torch.Tensor[]>();
        var values = new List<double>();
        for (int i = 0; i < k; i++)
        {
            var v = Normalise(Orthogonalise(RandomNormal(), found));
            double eigenvalue = 0;
            for (int it = 0; it < maxIterations; it++)
            {
                var hv = Product(v);
                double next = Dot(hv, v);
                v = Normalise(Orthogonalise(hv, found));
                bool converged = it > 0 && Math.Abs(next - eigenvalue) <= tolerance * (Math.Abs(eigenvalue) + 1e-6);
                eigenvalue = next;
                if (converged) break;
            }
            values.Add(eigenvalue);
            found.Add(v);
        }
        return values.ToArray();
    }

    /// <summary>Hutchinson: E[zᵀHz] over Rademacher z equals the trace.</summary>
    public double Trace(int samples = 64)
    {
        double sum = 0;
        for (int s = 0; s < samples; s++)
        {
            var z = parameters.Select(p => torch.randint(0, 2, p.shape, dtype: p.dtype, generator: _generator) * 2 - 1).ToArray();
            sum += Dot(Product(z), z);
        }
        return sum / samples;
    }

    /// <summary>
    /// Lanczos with full reorthogonalisation from one random start: the Ritz values (nodes) and the squared first
    /// components of their eigenvectors (weights, summing to 1) approximate the spectral density.
    /// </summary>
    public SpectralDensity Lanczos(int steps, torch.Tensor[]? start = null)
    {
        var basis = new List<torch.Tensor[]>();
        var alphas = new List<double>();
        var betas = new List<double>();
        var v = Normalise(start ?? RandomNormal());
        for (int j = 0; j < steps; j++)
        {
            basis.Add(v);
            var w = Product(v);
            double alpha = Dot(w, v);
            alphas.Add(alpha);
            w = Orthogonalise(w, basis);
            w = Orthogonalise(w, basis); // twice is enough (Kahan–Parlett)
            double beta = Math.Sqrt(Dot(w, w));
            if (j == steps - 1 || beta < 1e-10) break;
            betas.Add(beta);
            v = w.Select(t => t / beta).ToArray();
        }
        int m = alphas.Count;
        var tridiagonal = Matrix<double>.Build.Dense(m, m, (r, c) => r == c ? alphas[r] : Math.Abs(r - c) == 1 ? betas[Math.Min(r, c)] : 0);
        var evd = tridiagonal.Evd(Symmetricity.Symmetric);
        var nodes = evd.EigenValues.Select(c => c.Real).ToArray();
        var weights = Enumerable.Range(0, m).Select(i => Math.Pow(evd.EigenVectors[0, i], 2)).ToArray();
        return new SpectralDensity(nodes, weights);
    }

    /// <summary>The probe layer <c>probe:hessian</c> with the top eigenvalue and the trace.</summary>
    public LayerSignature Layer(int traceSamples = 64)
    {
        long n = parameters.Sum(p => p.numel());
        return new LayerSignature
        {
            Name = "probe:hessian",
            Shape = [n, n],
            Kind = LayerKind.Hessian,
            Metrics = new SortedDictionary<string, double?>(StringComparer.Ordinal)
            {
                [ProbeMetricNames.HessianTopEigenvalue] = TopEigenvalues(1)[0],
                [ProbeMetricNames.HessianTrace] = Trace(traceSamples),
            },
            Labels = [],
        };
    }

    private torch.Tensor[] RandomNormal() => parameters.Select(p => torch.randn(p.shape, dtype: p.dtype, generator: _generator)).ToArray();

    private static double Dot(torch.Tensor[] a, torch.Tensor[] b) => a.Zip(b, (x, y) => (x * y).sum().to(torch.ScalarType.Float64).item<double>()).Sum();

    private static torch.Tensor[] Normalise(torch.Tensor[] v)
    {
        double norm = Math.Sqrt(Dot(v, v));
        return v.Select(t => t / norm).ToArray();
    }

    private static torch.Tensor[] Orthogonalise(torch.Tensor[] v, IEnumerable<torch.Tensor[]> basis)
    {
        foreach (var b in basis)
        {
            double c = Dot(v, b);
            v = v.Zip(b, (x, y) => x - c * y).ToArray();
        }
        return v;
    }
}
