namespace SpectralGate.Engine.Signatures;

/// <summary>A tensor that was seen but not analysed, and why.</summary>
public sealed record SkippedTensor(string Name, long[] Shape, string Reason)
{
    /// <summary>Why, typed, when the tensor was skipped in this run (null for a signature read from a file, which stores the text).</summary>
    public Sources.SkipKind? Kind { get; init; }
}
