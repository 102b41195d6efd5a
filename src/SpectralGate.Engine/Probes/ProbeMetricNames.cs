using SpectralGate.Engine.Metrics;

namespace SpectralGate.Engine.Probes;

/// <summary>Names of the probe metrics (activation, Hessian, recurrence, mixer sections; docs/probes.md).</summary>
public static class ProbeMetricNames
{
    public const string ActivationEntropy = "activation_entropy";
    public const string ParticipationRatio = "participation_ratio";
    public const string Eee = "eee";
    public const string JsDivergence = "js_divergence";
    public const string PrGain = "pr_gain";
    public const string AlphaReq = "alpha_req";
    public const string RankMe = "rankme";
    public const string HessianTopEigenvalue = "hessian_top_eigenvalue";
    public const string HessianTrace = "hessian_trace";
    public const string TransitionMinEigenvalue = "transition_min_eigenvalue";
    public const string TransitionMaxEigenvalue = "transition_max_eigenvalue";
    public const string NegativeEigenvalueShare = "negative_eigenvalue_share";
    public const string SpectralRadius = "spectral_radius";
    public const string MaxStepSpectralNorm = "max_step_spectral_norm";
    public const string RowSumError = "row_sum_error";
    public const string ColumnSumError = "column_sum_error";
    public const string MinEntry = "min_entry";
    public const string OrthogonalityError = "orthogonality_error";
    public const string IdentityDistance = "identity_distance";
    public const string ProductUniformDistance = "product_uniform_distance";
    // The mixer probe's per-token distributions (MixerProbe): the unsuffixed names above are maxima over tokens there.
    public const string RowSumErrorMean = "row_sum_error_mean";
    public const string ColumnSumErrorMean = "column_sum_error_mean";
    public const string SpectralNormMean = "spectral_norm_mean";
    public const string SpectralNormP50 = "spectral_norm_p50";
    public const string SpectralNormP95 = "spectral_norm_p95";
    public const string RoutingEntropy = "routing_entropy";
    public const string RoutingEntropyMin = "routing_entropy_min";
    public const string CompositeGain = "composite_gain";
    public const string CompositeGainP50 = "composite_gain_p50";
    public const string CompositeGainP95 = "composite_gain_p95";

    /// <summary>Every name above, sorted: what a tolerance rule on a probe section may name.</summary>
    public static IReadOnlyList<string> All { get; } = MetricNameConstants.Of(typeof(ProbeMetricNames));
}
