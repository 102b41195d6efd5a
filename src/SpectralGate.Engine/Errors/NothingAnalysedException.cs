namespace SpectralGate.Engine.Errors;

/// <summary>
/// A model in which no layer could be analysed: it holds no tensors, or every tensor was skipped (undecodable,
/// integer, 1-D, too small, or left out by the selection). A signature of nothing would let any change pass, so this
/// is an error (gate code SG1014, CLI exit code 2), never an empty pass.
/// </summary>
public sealed class NothingAnalysedException(string filePath, string problem)
    : SpectralGateException(filePath, null, problem)
{
    /// <summary>How many distinct skip reasons the message lists before summing up the rest.</summary>
    public const int ReasonsShown = 5;

    /// <summary>The message for <paramref name="tensors"/> tensors that yielded no layer, with the reasons they were skipped.</summary>
    public static NothingAnalysedException For(string filePath, int tensors, IEnumerable<string> reasons)
    {
        if (tensors == 0) return new(filePath, "nothing analysed: the model holds no tensors.");
        var counted = reasons.GroupBy(r => r, StringComparer.Ordinal)
            .OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => $"{g.Count()} x {g.Key}").ToList();
        string listed = string.Join("; ", counted.Take(ReasonsShown)) + (counted.Count > ReasonsShown ? $"; and {counted.Count - ReasonsShown} other reasons" : "");
        return new(filePath, $"nothing analysed: 0 layers from {tensors} tensors, all skipped ({listed}). Check --include/--exclude and --min-dimension, or the model's encoding (docs/cli.md lists what is read).");
    }
}
