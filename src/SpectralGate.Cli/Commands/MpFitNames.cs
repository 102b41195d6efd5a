using SpectralGate.Engine.Metrics;

namespace SpectralGate.Cli.Commands;

/// <summary>The values of <c>--mp-fit</c> (and of the SpectralModel metadata <c>MpFit</c>) and the estimators they select.</summary>
internal static class MpFitNames
{
    public const string Default = "median";

    public static readonly string[] All = [Default, "trimmed-mean", "weightwatcher"];

    public static MpSigmaEstimator Parse(string name) => name switch
    {
        "trimmed-mean" => MpSigmaEstimator.BulkTrimmedMean,
        "weightwatcher" => MpSigmaEstimator.WeightWatcherFit,
        _ => MpSigmaEstimator.BulkMedian,
    };
}
