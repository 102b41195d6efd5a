using System.Globalization;

namespace SpectralAssert.Metrics;

/// <summary>Settings of the metrics; every one is recorded in the signature.</summary>
public sealed class MetricOptions
{
    /// <summary>Eigenvalues at or below this are left out of the power-law fit (WeightWatcher EVALS_THRESH).</summary>
    public double PowerLawThreshold { get; init; } = 1e-5;

    /// <summary>Fewer eigenvalues above the threshold leave alpha undefined (WeightWatcher MIN_EVALS).</summary>
    public int PowerLawMinEigenvalues { get; init; } = 10;

    public MpSigmaEstimator MpEstimator { get; init; } = MpSigmaEstimator.BulkTrimmedMean;

    public IEnumerable<KeyValuePair<string, string>> Describe()
    {
        yield return new("mp_estimator", MpEstimator == MpSigmaEstimator.BulkTrimmedMean ? "bulk_trimmed_mean" : "weightwatcher_fit");
        yield return new("power_law_min_eigenvalues", PowerLawMinEigenvalues.ToString(CultureInfo.InvariantCulture));
        yield return new("power_law_threshold", PowerLawThreshold.ToString("R", CultureInfo.InvariantCulture));
    }
}
