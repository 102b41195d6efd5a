using SpectralGate.Engine.Matrices;
using SpectralGate.Engine.Metrics;
using SpectralGate.Engine.Signatures;
using TorchSharp;

namespace SpectralGate.Engine.Probes;

/// <summary>
/// Invariants of residual-stream mixing matrices (Hyper-Connections and their constrained forms: mHC keeps them
/// doubly stochastic, on the Birkhoff polytope; JPmHC orthogonal; sHC on a spectral-norm sphere). M is n × n, row-major.
/// </summary>
public static class MixerMetrics
{
    public const string Prefix = "probe:mixer/";

    /// <summary>The metrics of a mixer tensor <c>[n, n]</c> (any float dtype or device), its spectral norm computed here.</summary>
    public static SortedDictionary<string, double?> Of(torch.Tensor mixer) => Of(ToArray(mixer), SpectralNormOf(mixer));

    /// <summary>The probe layer <c>probe:mixer/{name}</c> of kind <c>mixer</c> for a mixer tensor <c>[n, n]</c>.</summary>
    public static LayerSignature Layer(string name, torch.Tensor mixer) => new()
    {
        Name = Prefix + name,
        Shape = mixer.shape,
        Kind = LayerKind.Mixer,
        Metrics = Of(mixer),
        Labels = [],
    };

    /// <summary><see cref="ProductUniformDistance(IReadOnlyList{double[,]})"/> of a stack of mixer tensors, first layer first.</summary>
    public static double ProductUniformDistance(IEnumerable<torch.Tensor> layers) => ProductUniformDistance(layers.Select(ToArray).ToList());

    private static double SpectralNormOf(torch.Tensor mixer)
    {
        using var scope = torch.NewDisposeScope();
        return torch.linalg.svdvals(mixer.detach().to(torch.ScalarType.Float64).cpu()).max().item<double>();
    }

    private static double[,] ToArray(torch.Tensor mixer)
    {
        if (mixer.dim() != 2 || mixer.shape[0] != mixer.shape[1] || mixer.shape[0] == 0)
            throw new ArgumentException($"a mixer is a square matrix [n, n]; got [{string.Join(", ", mixer.shape)}].", nameof(mixer));
        int n = (int)mixer.shape[0];
        using var cpu = mixer.detach().to(torch.ScalarType.Float64).cpu().contiguous();
        double[] flat = cpu.data<double>().ToArray();
        var m = new double[n, n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++) m[i, j] = flat[i * n + j];
        return m;
    }

    public static SortedDictionary<string, double?> Of(double[,] m, double spectralNorm)
    {
        int n = m.GetLength(0);
        double rowError = 0, columnError = 0, minEntry = double.PositiveInfinity, orthogonality = 0, identity = 0;
        for (int i = 0; i < n; i++)
        {
            double row = 0, column = 0;
            for (int j = 0; j < n; j++)
            {
                row += m[i, j];
                column += m[j, i];
                minEntry = Math.Min(minEntry, m[i, j]);
                double id = m[i, j] - (i == j ? 1 : 0);
                identity += id * id;
                double gram = 0; // (MᵀM)_ij
                for (int k = 0; k < n; k++) gram += m[k, i] * m[k, j];
                double o = gram - (i == j ? 1 : 0);
                orthogonality += o * o;
            }
            rowError = Math.Max(rowError, Math.Abs(row - 1));
            columnError = Math.Max(columnError, Math.Abs(column - 1));
        }
        return new SortedDictionary<string, double?>(StringComparer.Ordinal)
        {
            [ProbeMetricNames.RowSumError] = rowError,
            [ProbeMetricNames.ColumnSumError] = columnError,
            [ProbeMetricNames.MinEntry] = minEntry,
            [MetricNames.SpectralNorm] = spectralNorm,
            [ProbeMetricNames.OrthogonalityError] = Math.Sqrt(orthogonality),
            [ProbeMetricNames.IdentityDistance] = Math.Sqrt(identity),
        };
    }

    /// <summary>‖M_L ⋯ M_1 − (1/n)11ᵀ‖_F: how far the composed mixing is from averaging all streams.</summary>
    public static double ProductUniformDistance(IReadOnlyList<double[,]> layers)
    {
        int n = layers[0].GetLength(0);
        var product = new double[n, n];
        for (int i = 0; i < n; i++) product[i, i] = 1;
        foreach (var m in layers)
        {
            var next = new double[n, n];
            for (int i = 0; i < n; i++)
                for (int j = 0; j < n; j++)
                {
                    double s = 0;
                    for (int k = 0; k < n; k++) s += m[i, k] * product[k, j];
                    next[i, j] = s;
                }
            product = next;
        }
        double distance = 0;
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
                distance += Math.Pow(product[i, j] - 1.0 / n, 2);
        return Math.Sqrt(distance);
    }
}
