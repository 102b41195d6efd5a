using System.Text.Json;
using System.Text.RegularExpressions;

namespace SpectralGate.Engine.Sources.Quantized;

/// <summary>
/// The weight quantization arguments compressed-tensors states for one module (<c>quantization_config.config_groups</c>:
/// the first group whose <c>targets</c> match: a <c>re:</c> pattern on the module name, or a class name such as
/// <c>Linear</c>, which every module read from a file is taken to be), and the format (the group's, else the global
/// <c>format</c>). Source: vllm-project/compressed-tensors <c>src/compressed_tensors/quantization/quant_args.py</c>,
/// <c>quant_scheme.py</c>, <c>config/base.py</c>.
/// </summary>
public sealed record CompressedTensorsScheme(string Format, int Bits, string Type, bool Symmetric, string Strategy, long GroupSize, (long Rows, long Cols)? Block)
{
    /// <summary>The scheme of <paramref name="module"/>, or null when the layout is not compressed-tensors or no group targets it.</summary>
    public static CompressedTensorsScheme? For(QuantizationLayout? layout, string module, string tensor)
    {
        if (layout is null || layout.Method != "compressed-tensors") return null;
        string globalFormat = layout.Text("format", "dense")!;
        if (!layout.Settings.TryGetProperty("config_groups", out var groups) || groups.ValueKind != JsonValueKind.Object) return null;
        foreach (var group in groups.EnumerateObject())
        {
            if (group.Value.ValueKind != JsonValueKind.Object || !Targets(layout, group.Value, module)) continue;
            if (!group.Value.TryGetProperty("weights", out var w) || w.ValueKind != JsonValueKind.Object) return null;
            long bits = layout.Integer(w, "num_bits", 8);
            if (bits is < 1 or > 8) throw layout.Bad(tensor, $"num_bits {bits} of config group '{group.Name}' is outside 1..8.");
            long groupSize = layout.Integer(w, "group_size", -1);
            (long, long)? block = null;
            if (w.TryGetProperty("block_structure", out var bs) && bs.ValueKind == JsonValueKind.Array && bs.GetArrayLength() == 2)
            {
                var pair = bs.EnumerateArray().Select(e => e.TryGetInt64(out long v) ? v : -1).ToArray();
                if (pair.Any(v => v <= 0)) throw layout.Bad(tensor, $"block_structure {bs.GetRawText()} of config group '{group.Name}' is not two positive integers.");
                block = (pair[0], pair[1]);
            }
            string strategy = layout.Text(w, "strategy", "tensor")!;
            if (strategy == "group")
            {
                if (groupSize <= 0) throw layout.Bad(tensor, $"group_size {groupSize} of config group '{group.Name}' must be positive for the group strategy.");
                block = (1, groupSize);
            }
            return new CompressedTensorsScheme(layout.Text(group.Value, "format", globalFormat)!, (int)bits, layout.Text(w, "type", "int")!,
                layout.Flag(w, "symmetric", true), strategy, groupSize, block);
        }
        return null;
    }

    private static bool Targets(QuantizationLayout layout, JsonElement group, string module)
    {
        if (!group.TryGetProperty("targets", out var targets) || targets.ValueKind != JsonValueKind.Array) return false;
        foreach (var t in targets.EnumerateArray())
        {
            if (t.ValueKind != JsonValueKind.String) continue;
            string target = t.GetString()!;
            if (!target.StartsWith("re:", StringComparison.Ordinal)) return true; // a class name: every module of a file is taken as Linear
            try
            {
                if (Regex.IsMatch(module, target[3..], RegexOptions.None, TimeSpan.FromMilliseconds(100))) return true;
            }
            catch (Exception e) when (e is ArgumentException or RegexMatchTimeoutException)
            {
                throw layout.Bad(module, $"target '{target}' is not a usable regular expression: {e.Message}");
            }
        }
        return false;
    }
}
