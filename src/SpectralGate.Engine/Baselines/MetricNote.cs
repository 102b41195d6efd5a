namespace SpectralGate.Engine.Baselines;

/// <summary>
/// A metric on one side of a comparison only: information, never a failure. A newer release that adds a metric, or an
/// older baseline that has one this release no longer computes, must not turn a committed baseline red
/// (docs/baselines.md).
/// </summary>
/// <param name="Metric">The metric's JSON name.</param>
/// <param name="InBaseline">True when only the baseline has it ("no longer computed"), false when only the signature has it.</param>
/// <param name="Layers">How many compared layers have it on one side only.</param>
public sealed record MetricNote(string Metric, bool InBaseline, int Layers)
{
    public string Message => InBaseline
        ? $"metric '{Metric}' is in the baseline but no longer computed ({Layers} layers), not compared"
        : $"new metric '{Metric}', not in the baseline ({Layers} layers), not compared";
}
