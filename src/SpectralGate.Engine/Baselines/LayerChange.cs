using SpectralGate.Engine.Signatures;

namespace SpectralGate.Engine.Baselines;

/// <summary>What happened to a compared layer's values, from its <see cref="LayerFingerprint"/> and its metrics.</summary>
public enum LayerChange
{
    /// <summary>One side has no fingerprint (a signature written before fingerprints, a probe): values not compared.</summary>
    NotFingerprinted,

    /// <summary>Same fingerprint: the same float32 values.</summary>
    Unchanged,

    /// <summary>
    /// Different values, yet every metric within tolerance: rows or columns permuted, a square matrix transposed,
    /// re-quantized to the same spectrum. The spectral gate alone cannot see these; the fingerprint can (SG1015 on request).
    /// </summary>
    SpectrallyEquivalent,

    /// <summary>Different values and at least one metric beyond tolerance (or a label change).</summary>
    Changed,
}

/// <summary>Classifies compared layers by fingerprint, and words the opt-in finding for a spectrally equivalent change.</summary>
public static class LayerChanges
{
    public static LayerChange Classify(LayerSignature expected, LayerSignature actual, bool hasFindings) =>
        expected.Fingerprint is null || actual.Fingerprint is null ? LayerChange.NotFingerprinted
        : expected.Fingerprint == actual.Fingerprint ? LayerChange.Unchanged
        : hasFindings ? LayerChange.Changed
        : LayerChange.SpectrallyEquivalent;

    /// <summary>The words used in tables and messages: "unchanged", "changed, spectrally equivalent", "changed".</summary>
    public static string Describe(LayerChange change) => change switch
    {
        LayerChange.Unchanged => "unchanged",
        LayerChange.SpectrallyEquivalent => "changed, spectrally equivalent",
        LayerChange.Changed => "changed",
        _ => "not fingerprinted",
    };

    public static Finding EquivalentChangeFinding(LayerSignature expected, LayerSignature actual) =>
        new(FindingKind.EquivalentChange, expected.Name, "fingerprint", null, null, null,
            $"changed, spectrally equivalent: its values changed (fingerprint {expected.Fingerprint![..8]}… -> {actual.Fingerprint![..8]}…) "
            + "but every metric is within tolerance (rows permuted, transposed or re-quantized?)");
}
