namespace SpectralAssert.Metrics;

/// <summary>Metric names: the same word in code, JSON keys and docs (docs/metrics.md).</summary>
public static class MetricNames
{
    public const string SpectralNorm = "spectral_norm";
    public const string FrobeniusNorm = "frobenius_norm";
    public const string StableRank = "stable_rank";
    public const string EffectiveRank = "effective_rank";
    public const string NumericalRank = "numerical_rank";
    public const string SpectralEntropy = "spectral_entropy";
    public const string ConditionNumber = "condition_number";
    public const string LogSpectralNorm = "log_spectral_norm";
    public const string LogNorm = "log_norm";
    public const string Alpha = "alpha";
    public const string Xmin = "xmin";
    public const string KsDistance = "ks_distance";
    public const string AlphaStdErr = "alpha_std_err";
    public const string NumTail = "num_tail";
    public const string AlphaWeighted = "alpha_weighted";
    public const string AlphaFarms = "alpha_farms";
    public const string MpSigma = "mp_sigma";
    public const string MpBulkMax = "mp_bulk_max";
    public const string NumSpikes = "num_spikes";
    public const string MpSoftRank = "mp_softrank";
}
