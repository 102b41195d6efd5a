namespace SpectralGate.Engine.Signatures;

/// <summary>
/// How much of a model's weights a signature analysed: the weight matrices (tensors of rank 2 or more that the
/// selection asked for, less those too small or empty to analyse; quantized weights counted once by their float
/// shape, quantization parameters not at all),
/// how many of them yielded layers, the same by parameter count, and the quantized weights decoded and not decoded
/// per layout. A run that analysed a minority of the weight parameters warns (SG1017) instead of reading "all healthy".
/// </summary>
public sealed record SignatureCoverage
{
    public required int WeightMatrices { get; init; }

    public required int Analysed { get; init; }

    public required long WeightParameters { get; init; }

    public required long AnalysedParameters { get; init; }

    /// <summary>Quantized weights decoded and analysed, per layout.</summary>
    public required IReadOnlyDictionary<string, int> Decoded { get; init; }

    /// <summary>Quantized weights recognised but not decoded, per layout.</summary>
    public required IReadOnlyDictionary<string, int> NotDecoded { get; init; }

    /// <summary>
    /// True when less than half of the weight parameters, or of the weight matrices, were analysed. A weight not
    /// decoded counts the elements it is stored in (a packed tensor holds fewer than its float weight), a lower bound:
    /// so the matrices decide as well.
    /// </summary>
    public bool IsMinority => (WeightParameters > 0 && AnalysedParameters * 2 < WeightParameters) || Analysed * 2 < WeightMatrices;

    /// <summary>True when the model stores weights quantized (decoded or not).</summary>
    public bool HasQuantized => Decoded.Count > 0 || NotDecoded.Count > 0;

    /// <summary>Written to the signature only when there is something to say, so plain models' signatures keep their bytes.</summary>
    public bool IsWorthWriting => HasQuantized || IsMinority;

    /// <summary>The line printed under the table: <c>41 of 226 weight matrices analysed; 185 GPTQ weights not decoded</c>.</summary>
    public string Text
    {
        get
        {
            // The share of parameters only when every weight's size is known: one not decoded counts as stored (packed).
            string text = $"{Analysed} of {WeightMatrices} weight matrices analysed"
                + (NotDecoded.Count == 0 ? $" ({Percent(AnalysedParameters, WeightParameters)} of the weight parameters)" : "");
            foreach (var (layout, count) in NotDecoded) text += $"; {count} {layout} weight{(count == 1 ? "" : "s")} not decoded";
            return text;
        }
    }

    /// <summary>The SG1017 message: what was analysed and how to see what was not.</summary>
    public string MinorityWarning =>
        $"only {Text}. The signature speaks for a minority of the model's weights; the skipped tensors and their reasons are listed by spectralgate inspect --verbose (docs/model-encodings.md).";

    private static string Percent(long part, long whole) =>
        whole == 0 ? "0%" : (100.0 * part / whole).ToString(part == whole ? "0" : "0.#", System.Globalization.CultureInfo.InvariantCulture) + "%";

    /// <summary>The sum of shards' coverages (each counts the tensors it owns); null when none has one.</summary>
    public static SignatureCoverage? Sum(IEnumerable<SignatureCoverage?> parts)
    {
        var present = parts.OfType<SignatureCoverage>().ToList();
        if (present.Count == 0) return null;
        return new SignatureCoverage
        {
            WeightMatrices = present.Sum(p => p.WeightMatrices),
            Analysed = present.Sum(p => p.Analysed),
            WeightParameters = present.Sum(p => p.WeightParameters),
            AnalysedParameters = present.Sum(p => p.AnalysedParameters),
            Decoded = Merge(present.Select(p => p.Decoded)),
            NotDecoded = Merge(present.Select(p => p.NotDecoded)),
        };
    }

    private static SortedDictionary<string, int> Merge(IEnumerable<IReadOnlyDictionary<string, int>> counts)
    {
        var sum = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (var c in counts)
            foreach (var (k, v) in c) sum[k] = sum.GetValueOrDefault(k) + v;
        return sum;
    }
}
