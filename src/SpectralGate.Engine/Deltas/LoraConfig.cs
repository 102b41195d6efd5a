using System.Text.Json;
using SpectralGate.Engine.Errors;

namespace SpectralGate.Engine.Deltas;

/// <summary>
/// The fields of a PEFT <c>adapter_config.json</c> that decide ΔW = s·B·A: <c>r</c>, <c>lora_alpha</c>, <c>use_rslora</c>
/// (s = alpha/√r instead of alpha/r, Kalajdzievski 2023), <c>fan_in_fan_out</c> (the base stores W as <c>[in, out]</c>, as
/// GPT-2's Conv1D does), and <c>target_modules</c> (reported only: the tensors present are what counts).
/// </summary>
public sealed record LoraConfig(int Rank, double Alpha, bool UseRsLora, bool FanInFanOut, IReadOnlyList<string> TargetModules)
{
    /// <summary>s for a module of rank <paramref name="rank"/> (the tensor's rank, which <c>rank_pattern</c> may set per module).</summary>
    public double Scale(int rank) => UseRsLora ? Alpha / Math.Sqrt(rank) : Alpha / rank;

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
        return new LoraConfig(rank, alpha, rslora, fanInFanOut, targets);
    }
}
