using SpectralGate.Engine.Metrics;

namespace SpectralGate.Engine.Probes;

/// <summary>
/// One mixer module's statistics over every token it mixed, streamed batch by batch: maxima, sums and minima in place,
/// and one float64 per token for each quantiled quantity (spectral norm, composite gain), never the n × n matrices.
/// Managed and sequential, in token order: the figures do not depend on any thread count.
/// </summary>
internal sealed class MixerTokenStatistics
{
    private readonly List<double> _spectralNorms = [];
    private readonly List<double> _gains = [];
    private double _rowErrorMax, _rowErrorSum, _columnErrorMax, _columnErrorSum, _orthogonalityMax, _identityMax, _entropySum;
    private double _minEntry = double.PositiveInfinity, _entropyMin = double.PositiveInfinity;

    public long Tokens => _spectralNorms.Count;

    /// <summary>Adds one token's mixer (n², row-major, finite), its spectral norm and the composite gain of the product up to and including it.</summary>
    public void Add(ReadOnlySpan<double> h, int n, double spectralNorm, double gain)
    {
        double rowError = 0, columnError = 0, orthogonality = 0, identity = 0, entropy = 0;
        for (int i = 0; i < n; i++)
        {
            double row = 0, column = 0, magnitude = 0;
            for (int j = 0; j < n; j++)
            {
                double v = h[i * n + j];
                row += v;
                column += h[j * n + i];
                magnitude += Math.Abs(v);
                _minEntry = Math.Min(_minEntry, v);
                double d = v - (i == j ? 1 : 0);
                identity += d * d;
                double gram = 0; // (HᵀH)_ij
                for (int k = 0; k < n; k++) gram += h[k * n + i] * h[k * n + j];
                double o = gram - (i == j ? 1 : 0);
                orthogonality += o * o;
            }
            rowError = Math.Max(rowError, Math.Abs(row - 1));
            columnError = Math.Max(columnError, Math.Abs(column - 1));
            entropy += RowEntropy(h.Slice(i * n, n), magnitude);
        }
        // Mean over rows, over ln n; n = 1 routes its one stream: 0.
        double routing = n == 1 ? 0 : entropy / n / Math.Log(n);

        _rowErrorMax = Math.Max(_rowErrorMax, rowError);
        _rowErrorSum += rowError;
        _columnErrorMax = Math.Max(_columnErrorMax, columnError);
        _columnErrorSum += columnError;
        _orthogonalityMax = Math.Max(_orthogonalityMax, Math.Sqrt(orthogonality));
        _identityMax = Math.Max(_identityMax, Math.Sqrt(identity));
        _entropySum += routing;
        _entropyMin = Math.Min(_entropyMin, routing);
        _spectralNorms.Add(spectralNorm);
        _gains.Add(gain);
    }

    /// <summary>
    /// Shannon entropy of |row| / Σ|row|. Row i is what output stream i reads from the input streams, so 0 is a hard
    /// routing (one source: a permutation row, at any scale) and ln n an equal mix. An all-zero row reads nothing: 0.
    /// </summary>
    private static double RowEntropy(ReadOnlySpan<double> row, double magnitude)
    {
        if (magnitude == 0) return 0;
        double entropy = 0;
        foreach (double v in row)
        {
            double p = Math.Abs(v) / magnitude;
            if (p > 0) entropy -= p * Math.Log(p);
        }
        return entropy;
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

}
