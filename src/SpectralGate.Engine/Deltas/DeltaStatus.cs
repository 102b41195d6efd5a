namespace SpectralGate.Engine.Deltas;

/// <summary>What happened to one layer between the base and the tuned checkpoint.</summary>
public enum DeltaStatus
{
    /// <summary>Every value is bit-for-bit the same: no metric beyond <c>relative_change</c> = 0.</summary>
    Unchanged,

    Changed,

    /// <summary>The shapes differ (e.g. a resized vocabulary): no ΔW exists.</summary>
    ShapeChanged,

    /// <summary>NaN or Inf on either side: no metric is meaningful.</summary>
    NonFinite,
}
