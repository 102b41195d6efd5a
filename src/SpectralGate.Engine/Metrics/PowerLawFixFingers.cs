namespace SpectralGate.Engine.Metrics;

/// <summary>WeightWatcher's <c>fix_fingers</c>: restricts the xmin candidates when a few large eigenvalues ("fingers") pull the fit.</summary>
public enum PowerLawFixFingers
{
    /// <summary>Every eigenvalue but the largest is an xmin candidate.</summary>
    None,

    /// <summary>
    /// <c>xmin_peak</c> (used by FARMS's LLM runs): candidates are limited to λ ≤ 1.5·peak, where the peak is the left edge of
    /// the fullest of 100 equal bins of log10 λ. WeightWatcher's lower bound compares log10(0.95·peak) with linear λ and so
    /// bounds nothing; it is left out here.
    /// </summary>
    XminPeak,
}
