using System.Text.Json;
using SpectralGate.Engine.Errors;

namespace SpectralGate.Engine.Sources.Quantized;

/// <summary>
/// What a checkpoint's configuration says about its quantization: the method (<c>gptq</c>, <c>awq</c>,
/// <c>compressed-tensors</c>, <c>fp8</c>, <c>bitsandbytes</c>, <c>modelopt</c>, <c>mlx</c>, ...) and the settings object, from
/// the first of these next to the checkpoint that has one: <c>config.json</c>'s <c>quantization_config</c> (transformers;
/// <c>quantization</c> for mlx-lm), <c>quantize_config.json</c> (AutoGPTQ, GPTQModel), <c>quant_config.json</c> (AutoAWQ),
/// <c>hf_quant_config.json</c> (NVIDIA ModelOpt).
/// </summary>
public sealed class QuantizationLayout
{
    /// <summary>Configuration files larger than this are refused: real ones are a few kilobytes.</summary>
    public const long MaxConfigBytes = 16L << 20;

    private QuantizationLayout(string method, JsonElement settings, string configPath)
    {
        Method = method;
        Settings = settings;
        ConfigPath = configPath;
    }

    /// <summary>The method, lower case (<c>quant_method</c>, or what the file it came from implies).</summary>
    public string Method { get; }

    /// <summary>The settings object (a clone, alive as long as this).</summary>
    public JsonElement Settings { get; }

    /// <summary>The file the settings came from, named in errors.</summary>
    public string ConfigPath { get; }

    /// <summary>The layout stated next to a checkpoint in <paramref name="folder"/>, or null when none is.</summary>
    public static QuantizationLayout? Find(string folder)
    {
        if (Read(Path.Combine(folder, "config.json")) is { } config)
        {
            if (config.Root.TryGetProperty("quantization_config", out var q) && q.ValueKind == JsonValueKind.Object)
                return new QuantizationLayout(MethodOf(q, "quant_method", config.Path) ?? "unknown", q.Clone(), config.Path);
            // mlx-lm writes "quantization": {"group_size": 64, "bits": 4} (and per-layer entries).
            if (config.Root.TryGetProperty("quantization", out var mlx) && mlx.ValueKind == JsonValueKind.Object)
                return new QuantizationLayout("mlx", mlx.Clone(), config.Path);
        }
        if (Read(Path.Combine(folder, "quantize_config.json")) is { } gptq)
            return new QuantizationLayout(MethodOf(gptq.Root, "quant_method", gptq.Path) ?? "gptq", gptq.Root.Clone(), gptq.Path);
        if (Read(Path.Combine(folder, "quant_config.json")) is { } awq)
            return new QuantizationLayout(MethodOf(awq.Root, "quant_method", awq.Path) ?? "awq", awq.Root.Clone(), awq.Path);
        if (Read(Path.Combine(folder, "hf_quant_config.json")) is { } modelopt)
            return new QuantizationLayout("modelopt", modelopt.Root.TryGetProperty("quantization", out var m) && m.ValueKind == JsonValueKind.Object ? m.Clone() : modelopt.Root.Clone(), modelopt.Path);
        return null;
    }

    /// <summary>A setting of the layout: an integer, or <paramref name="fallback"/> when absent or null.</summary>
    public long Integer(string key, long fallback) => Integer(Settings, key, fallback);

    /// <summary>A setting of <paramref name="settings"/> (an object inside this layout): an integer, or <paramref name="fallback"/>.</summary>
    public long Integer(JsonElement settings, string key, long fallback)
    {
        if (!settings.TryGetProperty(key, out var v) || v.ValueKind == JsonValueKind.Null) return fallback;
        if (v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out long n)) return n;
        throw new ModelFormatException(ConfigPath, null, $"quantization setting '{key}' is {v.GetRawText()}, not an integer.");
    }

    /// <summary>A setting: a string, or <paramref name="fallback"/> when absent or null.</summary>
    public string? Text(string key, string? fallback) => Text(Settings, key, fallback);

    public string? Text(JsonElement settings, string key, string? fallback)
    {
        if (!settings.TryGetProperty(key, out var v) || v.ValueKind == JsonValueKind.Null) return fallback;
        if (v.ValueKind == JsonValueKind.String) return v.GetString();
        throw new ModelFormatException(ConfigPath, null, $"quantization setting '{key}' is {v.GetRawText()}, not a string.");
    }

    /// <summary>A setting: a boolean, or <paramref name="fallback"/> when absent or null.</summary>
    public bool Flag(string key, bool fallback) => Flag(Settings, key, fallback);

    public bool Flag(JsonElement settings, string key, bool fallback)
    {
        if (!settings.TryGetProperty(key, out var v) || v.ValueKind == JsonValueKind.Null) return fallback;
        return v.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw new ModelFormatException(ConfigPath, null, $"quantization setting '{key}' is {v.GetRawText()}, not true or false."),
        };
    }

    /// <summary>An error about the configuration, naming its file and the tensor it was read for.</summary>
    public ModelFormatException Bad(string? tensor, string problem) => new(ConfigPath, tensor, problem);

    private static string? MethodOf(JsonElement settings, string key, string path)
    {
        if (!settings.TryGetProperty(key, out var v) || v.ValueKind == JsonValueKind.Null) return null;
        if (v.ValueKind != JsonValueKind.String) throw new ModelFormatException(path, null, $"'{key}' is {v.GetRawText()}, not a string.");
        return v.GetString()!.ToLowerInvariant();
    }

    private sealed record JsonFile(string Path, JsonElement Root);

    private static JsonFile? Read(string path)
    {
        byte[] bytes;
        try
        {
            if (!File.Exists(path)) return null;
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
            if (stream.Length > MaxConfigBytes)
                throw new ModelFormatException(path, null, $"is {stream.Length} bytes, above the {MaxConfigBytes}-byte limit of a configuration file.");
            bytes = new byte[stream.Length];
            stream.ReadExactly(bytes);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ModelFormatException(path, null, $"cannot be read: {e.Message}", e);
        }
        // JsonDocument defers UTF-8 checks of strings to GetString (InvalidOperationException): check up front.
        if (!System.Text.Unicode.Utf8.IsValid(bytes)) throw new ModelFormatException(path, null, "is not valid UTF-8.");
        try
        {
            using var doc = JsonDocument.Parse(bytes, new JsonDocumentOptions { MaxDepth = 32, CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            if (doc.RootElement.ValueKind != JsonValueKind.Object) throw new ModelFormatException(path, null, "is not a JSON object.");
            return new JsonFile(path, doc.RootElement.Clone());
        }
        catch (JsonException e)
        {
            throw new ModelFormatException(path, null, $"is not valid JSON: {e.Message}", e);
        }
    }
}
