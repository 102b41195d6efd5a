using SpectralGate.Engine.Metrics;
using TorchSharp;

namespace SpectralGate.Engine.Probes;

/// <summary>
/// One mixer module's statistics over every token it mixed, streamed batch by batch: maxima, sums and minima in place,
/// and one float64 per token for each quantiled quantity (spectral norm, composite gain), never the n × n matrices.
/// Sums run in token order in managed code, so the figures do not depend on libtorch's thread count.
/// </summary>
internal sealed class MixerTokenStatistics
{
    private readonly List<double> _spectralNorms = [];
    private readonly List<double> _gains = [];
    private double _rowErrorMax, _rowErrorSum, _columnErrorMax, _columnErrorSum, _orthogonalityMax, _identityMax, _entropySum;
    private double _minEntry = double.PositiveInfinity, _entropyMin = double.PositiveInfinity;

    public long Tokens => _spectralNorms.Count;

    /// <summary>
    /// Adds a batch of mixers <c>[tokens, n, n]</c> (float64, finite), their spectral norms <c>[tokens]</c> and the
    /// composite gains <c>[tokens]</c> of the products up to and including them.
    /// </summary>
    public void Add(torch.Tensor mixers, torch.Tensor spectralNorms, torch.Tensor gains)
    {
        using var scope = torch.NewDisposeScope();
        long n = mixers.shape[^1];
        var identity = torch.eye(n, dtype: torch.ScalarType.Float64);
        double[] rowErrors = Values((mixers.sum(-1) - 1).abs().amax([-1]));
        double[] columnErrors = Values((mixers.sum(-2) - 1).abs().amax([-1]));
        double[] orthogonality = Values((mixers.transpose(-1, -2).matmul(mixers) - identity).square().sum([-2, -1]).sqrt());
        double[] identityDistance = Values((mixers - identity).square().sum([-2, -1]).sqrt());
        double[] entropy = Values(RoutingEntropy(mixers));
        double minEntry = mixers.min().item<double>();

        for (int t = 0; t < rowErrors.Length; t++)
        {
            _rowErrorMax = Math.Max(_rowErrorMax, rowErrors[t]);
            _rowErrorSum += rowErrors[t];
            _columnErrorMax = Math.Max(_columnErrorMax, columnErrors[t]);
            _columnErrorSum += columnErrors[t];
            _orthogonalityMax = Math.Max(_orthogonalityMax, orthogonality[t]);
            _identityMax = Math.Max(_identityMax, identityDistance[t]);
            _entropySum += entropy[t];
            _entropyMin = Math.Min(_entropyMin, entropy[t]);
        }
        _minEntry = Math.Min(_minEntry, minEntry);
        _spectralNorms.AddRange(Values(spectralNorms));
        _gains.AddRange(Values(gains));
    }

    /// <summary>
    /// Per token: the mean over rows of the Shannon entropy of |row| / Σ|row|, divided by ln n. Row i is what output
    /// stream i reads from the input streams, so 0 is a hard routing (one source per stream: a permutation, any scale)
    /// and 1 an equal mix (uniform 1/n). An all-zero row reads nothing and counts 0; n = 1 is 0.
    /// </summary>
    private static torch.Tensor RoutingEntropy(torch.Tensor mixers)
    {
        long n = mixers.shape[^1];
        if (n == 1) return torch.zeros(mixers.shape[0], dtype: torch.ScalarType.Float64);
        var magnitude = mixers.abs();
        var total = magnitude.sum(-1, keepdim: true);
        var p = magnitude / torch.where(total > 0, total, torch.ones_like(total));
        var plogp = torch.where(p > 0, p * p.log(), torch.zeros_like(p));
        return -plogp.sum(-1).mean([-1]) / Math.Log(n);
    }

    public SortedDictionary<string, double?> Metrics()
    {
        double tokens = Tokens;
        double[] norms = [.. _spectralNorms];
        double[] gains = [.. _gains];
        Array.Sort(norms);
        Array.Sort(gains);
        return new SortedDictionary<string, double?>(StringComparer.Ordinal)
        {
            [ProbeMetricNames.RowSumError] = _rowErrorMax,
            [ProbeMetricNames.RowSumErrorMean] = _rowErrorSum / tokens,
            [ProbeMetricNames.ColumnSumError] = _columnErrorMax,
            [ProbeMetricNames.ColumnSumErrorMean] = _columnErrorSum / tokens,
            [ProbeMetricNames.MinEntry] = _minEntry,
            [ProbeMetricNames.OrthogonalityError] = _orthogonalityMax,
            [ProbeMetricNames.IdentityDistance] = _identityMax,
            [MetricNames.SpectralNorm] = norms[^1],
            [ProbeMetricNames.SpectralNormMean] = Mean(_spectralNorms),
            [ProbeMetricNames.SpectralNormP50] = Quantile(norms, 0.5),
            [ProbeMetricNames.SpectralNormP95] = Quantile(norms, 0.95),
            [ProbeMetricNames.RoutingEntropy] = _entropySum / tokens,
            [ProbeMetricNames.RoutingEntropyMin] = _entropyMin,
            [ProbeMetricNames.CompositeGain] = gains[^1],
            [ProbeMetricNames.CompositeGainP50] = Quantile(gains, 0.5),
            [ProbeMetricNames.CompositeGainP95] = Quantile(gains, 0.95),
        };
    }

    /// <summary>
    /// The p-quantile of sorted values, linear between the two nearest ranks (Hyndman and Fan's type 7, numpy's and R's
    /// default): h = (N − 1)p, x[⌊h⌋] + (h − ⌊h⌋)(x[⌊h⌋ + 1] − x[⌊h⌋]). Exact and deterministic: every value is kept.
    /// </summary>
    internal static double Quantile(double[] sorted, double p)
    {
        double h = (sorted.Length - 1) * p;
        int below = (int)Math.Floor(h);
        if (below >= sorted.Length - 1) return sorted[^1];
        return sorted[below] + (h - below) * (sorted[below + 1] - sorted[below]);
    }

    private static double Mean(List<double> values)
    {
        double sum = 0;
        foreach (double v in values) sum += v;
        return sum / values.Count;
    }

    private static double[] Values(torch.Tensor t) => t.contiguous().data<double>().ToArray();
}
