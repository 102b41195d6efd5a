namespace SpectralGate.Engine.Baselines;

/// <summary>Kinds of difference between a signature and its baseline; each maps to one stable SG diagnostic code.</summary>
public enum FindingKind
{
    /// <summary>A metric moved beyond its tolerance, became undefined, or a health label appeared or went (SG1001).</summary>
    Regression,

    /// <summary>A layer was added, removed or reshaped (SG1002). Always fails, whatever the tolerances.</summary>
    StructuralChange,

    /// <summary>The baseline was computed with other settings, so its numbers are not comparable (SG1007).</summary>
    SettingsChanged,

    /// <summary>A layer's values changed but every metric is within tolerance (SG1015); only when asked for (<see cref="LayerChange.SpectrallyEquivalent"/>).</summary>
    EquivalentChange,
}
