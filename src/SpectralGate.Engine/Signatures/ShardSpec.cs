using System.Globalization;

namespace SpectralGate.Engine.Signatures;

/// <summary>
/// One shard of a signature split across processes or CI jobs: <c>--shard 2/4</c> is <c>new ShardSpec(2, 4)</c>
/// (1-based). Every shard reads the same header, makes the same <see cref="ShardPlan"/>, and computes only its own layers;
/// <see cref="SignatureMerge"/> joins the partial signatures into the bytes a single run writes.
/// </summary>
public sealed record ShardSpec(int Index, int Count)
{
    /// <summary>The settings key that marks a partial signature; a merged signature no longer has it.</summary>
    public const string SettingsKey = "shard";

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Index}/{Count}");

    /// <summary>Parses <c>i/n</c> with 1 ≤ i ≤ n ≤ 4096.</summary>
    public static ShardSpec Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string[] parts = text.Split('/');
        if (parts.Length == 2
            && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int index)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int count)
            && count is >= 1 and <= 4096 && index >= 1 && index <= count)
            return new ShardSpec(index, count);
        throw new ArgumentException($"'{text}' is not a shard: write i/n with 1 <= i <= n (e.g. 2/4).");
    }
}
