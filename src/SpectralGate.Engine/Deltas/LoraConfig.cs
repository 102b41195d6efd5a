using System.Text.Json;
using System.Text.RegularExpressions;
using SpectralGate.Engine.Errors;

namespace SpectralGate.Engine.Deltas;

/// <summary>
/// The fields of a PEFT <c>adapter_config.json</c> that decide ΔW = s·B·A: <c>r</c>, <c>lora_alpha</c>, <c>use_rslora</c>
/// (s = alpha/√r instead of alpha/r, Kalajdzievski 2023), <c>fan_in_fan_out</c> (the base stores W as <c>[in, out]</c>, as
/// GPT-2's Conv1D does), <c>rank_pattern</c> and <c>alpha_pattern</c> (per-module r and alpha, PEFT ≥ 0.6), and
/// <c>target_modules</c> (reported only: the tensors present are what counts).
/// </summary>
public sealed record LoraConfig(int Rank, double Alpha, bool UseRsLora, bool FanInFanOut, IReadOnlyList<string> TargetModules)
{
    /// <summary>The file read, named in refusals.</summary>
    public string? Path { get; init; }

    /// <summary><c>rank_pattern</c> in file order: module name or regular expression -> r.</summary>
    public IReadOnlyList<KeyValuePair<string, int>> RankPattern { get; init; } = [];

    /// <summary><c>alpha_pattern</c> in file order: module name or regular expression -> lora_alpha.</summary>
    public IReadOnlyList<KeyValuePair<string, double>> AlphaPattern { get; init; } = [];

    /// <summary>s for a module of rank <paramref name="rank"/> with the config's own alpha.</summary>
    public double Scale(int rank) => Scale(rank, Alpha);

    private double Scale(int rank, double alpha) => UseRsLora ? alpha / Math.Sqrt(rank) : alpha / rank;

    /// <summary>The rank the config gives module <paramref name="module"/> (<c>rank_pattern</c>, else <c>r</c>).</summary>
    public int RankOf(string module) => PatternValue(RankPattern, module) is { } r ? r : Rank;

    /// <summary>The alpha the config gives module <paramref name="module"/> (<c>alpha_pattern</c>, else <c>lora_alpha</c>).</summary>
    public double AlphaOf(string module) => PatternValue(AlphaPattern, module) is { } a ? a : Alpha;

    /// <summary>
    /// s for module <paramref name="module"/> (a name like <c>model.layers.0.self_attn.q_proj</c>) whose factors have rank
    /// <paramref name="tensorRank"/>. A rank other than the config's is refused, as PEFT's own load refuses it (a size
    /// mismatch): read anyway, s would be alpha over the wrong rank (r = 1024 against rank-4 factors is 256x off).
    /// </summary>
    public double ScaleOf(string module, int tensorRank, string tensorName)
    {
        int expected = RankOf(module);
        if (tensorRank != expected)
        {
            string where = PatternKey(RankPattern, module) is { } key ? $"rank_pattern['{key}'] = {expected}" : $"r = {expected}";
            throw new ModelFormatException(Path ?? "adapter_config.json", tensorName,
                $"has rank {tensorRank}, but the config says {where}; PEFT refuses such an adapter (its scale alpha/r would be {(double)tensorRank / expected:0.###}x off). Fix 'r' or 'rank_pattern' in the config.");
        }
        return Scale(tensorRank, AlphaOf(module));
    }

    // PEFT's get_pattern_key (peft/utils/other.py): an exact key first, then the first key, in file order, for which
    // re.match(rf"(.*\.)?({key})$", module) holds.
    private string? PatternKey<T>(IReadOnlyList<KeyValuePair<string, T>> pattern, string module)
    {
        foreach (var (key, _) in pattern) if (key == module) return key;
        foreach (var (key, _) in pattern)
        {
            try
            {
                if (Regex.IsMatch(module, $@"\A(?:.*\.)?(?:{key})\z", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1))) return key;
            }
            catch (RegexMatchTimeoutException e)
            {
                throw new ModelFormatException(Path ?? "adapter_config.json", module, $"pattern key '{key}' took over a second to match; not a module pattern PEFT could use.", e);
            }
        }
        return null;
    }

    private T? PatternValue<T>(IReadOnlyList<KeyValuePair<string, T>> pattern, string module) where T : struct =>
        PatternKey(pattern, module) is { } key ? pattern.First(p => p.Key == key).Value : null;

    public static LoraConfig Read(string path)
    {
        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(path));
            root = document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new ModelFormatException(path, null, $"is not valid JSON: {e.Message}", e);
        }
        if (root.ValueKind != JsonValueKind.Object) throw new ModelFormatException(path, null, "is not a JSON object.");
        if (root.TryGetProperty("peft_type", out var type) && type.ValueKind == JsonValueKind.String && type.GetString() != "LORA")
            throw new ModelFormatException(path, null, $"is a {type.GetString()} adapter; only LORA adapters are read.");
        int rank = root.TryGetProperty("r", out var r) && r.TryGetInt32(out int rv) && rv > 0
            ? rv : throw new ModelFormatException(path, null, "has no positive integer 'r'.");
        double alpha = root.TryGetProperty("lora_alpha", out var a) && a.ValueKind == JsonValueKind.Number ? a.GetDouble() : 8; // PEFT's default
        bool rslora = root.TryGetProperty("use_rslora", out var rs) && rs.ValueKind == JsonValueKind.True;
        bool fanInFanOut = root.TryGetProperty("fan_in_fan_out", out var f) && f.ValueKind == JsonValueKind.True;
        var targets = new List<string>();
        if (root.TryGetProperty("target_modules", out var t))
        {
            if (t.ValueKind == JsonValueKind.Array) targets.AddRange(t.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!));
            else if (t.ValueKind == JsonValueKind.String) targets.Add(t.GetString()!);
        }
        var rankPattern = Pattern<int>(path, root, "rank_pattern", v => v.TryGetInt32(out int n) && n > 0 ? n : null);
        var alphaPattern = Pattern<double>(path, root, "alpha_pattern", v => v.ValueKind == JsonValueKind.Number ? v.GetDouble() : null);
        return new LoraConfig(rank, alpha, rslora, fanInFanOut, targets) { Path = path, RankPattern = rankPattern, AlphaPattern = alphaPattern };
    }

    private static List<KeyValuePair<string, T>> Pattern<T>(string path, JsonElement root, string name, Func<JsonElement, T?> value) where T : struct
    {
        var result = new List<KeyValuePair<string, T>>();
        if (!root.TryGetProperty(name, out var p) || p.ValueKind == JsonValueKind.Null) return result;
        if (p.ValueKind != JsonValueKind.Object) throw new ModelFormatException(path, null, $"'{name}' is not an object of module names to numbers.");
        foreach (var entry in p.EnumerateObject())
        {
            if (value(entry.Value) is not { } v) throw new ModelFormatException(path, null, $"'{name}' entry '{entry.Name}' is not a valid {(typeof(T) == typeof(int) ? "positive integer" : "number")}.");
            try { _ = new Regex($@"\A(?:.*\.)?(?:{entry.Name})\z", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1)); }
            catch (ArgumentException e) { throw new ModelFormatException(path, null, $"'{name}' key '{entry.Name}' is not a valid regular expression: {e.Message}"); }
            result.Add(new(entry.Name, v));
        }
        return result;
    }
}
