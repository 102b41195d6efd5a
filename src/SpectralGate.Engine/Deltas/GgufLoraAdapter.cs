using SpectralGate.Engine.Errors;
using SpectralGate.Engine.Names;
using SpectralGate.Engine.Signatures;
using SpectralGate.Engine.Sources;
using SpectralGate.Engine.Sources.Gguf;

namespace SpectralGate.Engine.Deltas;

/// <summary>
/// A llama.cpp LoRA adapter (<c>general.type = adapter</c>, <c>adapter.type = lora</c>; written by convert_lora_to_gguf.py,
/// read by src/llama-adapter.cpp): per base weight <c>NAME.lora_a</c> and <c>NAME.lora_b</c>, in numpy order the same
/// <c>[r, in]</c> and <c>[out, r]</c> as PEFT's A and B (llama-adapter.cpp checks <c>a.ne[0] = in</c>, <c>b.ne[1] = out</c>,
/// <c>a.ne[1] = b.ne[0] = r</c>), except <c>token_embd</c>, whose lora_a the converter transposes. The scale is llama.cpp's
/// <c>get_scale</c> (llama-adapter.h): alpha / r with r = <c>b.ne[0]</c>, or 1 when <c>adapter.lora.alpha</c> is 0 or absent.
/// Names are given their Hugging Face names (<see cref="GgufNameMap"/>); <c>*_norm.weight</c> vectors (mergekit) are listed
/// as not LoRA matrices.
/// </summary>
internal static class GgufLoraAdapter
{
    public const string AlphaKey = "adapter.lora.alpha";

    /// <summary>True when <paramref name="path"/> is a GGUF file whose <c>general.type</c> is <c>adapter</c>.</summary>
    public static bool IsAdapterFile(string path)
    {
        if (!File.Exists(path)) return false;
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
            Span<byte> magic = stackalloc byte[4];
            if (stream.Read(magic) != 4 || BitConverter.ToUInt32(magic) != GgufHeader.Magic) return false;
            stream.Position = 0;
            return GgufHeader.Read(path, stream).Metadata.GetValueOrDefault("general.type") as string == "adapter";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ModelFormatException)
        {
            return false; // opened again as a model, where the problem is reported
        }
    }

    public static (GgufModelSource Source, List<LoraModule> Modules, List<SkippedTensor> Skipped, Dictionary<string, string> GgufNames) Read(string path)
    {
        var source = new GgufModelSource(path);
        try
        {
            var header = source.Header;
            if (header.Metadata.GetValueOrDefault("general.type") as string != "adapter")
                throw new ModelFormatException(path, null, "is a GGUF model, not an adapter (general.type is not 'adapter').");
            if (header.Metadata.GetValueOrDefault("adapter.type") is string type && type != "lora")
                throw new ModelFormatException(path, null, $"is a GGUF '{type}' adapter; only LoRA adapters are read.");
            double alpha = header.Metadata.GetValueOrDefault(AlphaKey) switch
            {
                null => 0,
                float f => f,
                double d => d,
                var other => throw new ModelFormatException(path, null, $"'{AlphaKey}' is {other}, not a FLOAT32."),
            };
            var entries = source.Tensors.ToDictionary(e => e.Name, StringComparer.Ordinal);
            var modules = new List<LoraModule>();
            var skipped = new List<SkippedTensor>();
            var ggufNames = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var info in header.Tensors)
            {
                string name = info.Name;
                if (name.EndsWith(".lora_b", StringComparison.Ordinal))
                {
                    if (!entries.ContainsKey(name[..^".lora_b".Length] + ".lora_a")) throw new ModelFormatException(path, name, "has no matching lora_a.");
                    continue;
                }
                if (!name.EndsWith(".lora_a", StringComparison.Ordinal))
                {
                    skipped.Add(new SkippedTensor(name, info.Shape, "not a LoRA A/B matrix"));
                    continue;
                }
                string baseName = name[..^".lora_a".Length];
                if (!entries.TryGetValue(baseName + ".lora_b", out var b)) throw new ModelFormatException(path, name, "has no matching lora_b.");
                var a = entries[name];
                bool embedding = baseName.EndsWith("token_embd.weight", StringComparison.Ordinal);
                if (a.Shape.Length != 2 || b.Shape.Length != 2)
                    throw new ModelFormatException(path, name, $"lora_a [{string.Join(", ", a.Shape)}] and lora_b [{string.Join(", ", b.Shape)}] are not matrices.");
                // r of each factor: llama.cpp takes b.ne[0] (B [out, r]) for the scale, and refuses an a of another rank.
                long rankA = embedding ? a.Shape[1] : a.Shape[0], rankB = b.Shape[1];
                if (rankA != rankB)
                    throw new ModelFormatException(path, name, $"has rank {rankA} but '{b.Name}' has rank {rankB}; llama.cpp refuses such a pair (and its scale alpha/r would use {rankB}).");
                if (rankB <= 0) throw new ModelFormatException(path, b.Name, "has rank 0.");
                double scale = alpha != 0 ? alpha / rankB : 1;
                string target = GgufNameMap.ToHuggingFace(baseName, header.Architecture);
                ggufNames[target] = baseName;
                modules.Add(new LoraModule(target, a, b, scale) { EmbeddingOrder = embedding });
            }
            modules.Sort((x, y) => NaturalNameComparer.Instance.Compare(x.Target, y.Target));
            skipped.Sort((x, y) => NaturalNameComparer.Instance.Compare(x.Name, y.Name));
            return (source, modules, skipped, ggufNames);
        }
        catch
        {
            source.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The heads over which the rows of a llama q/k update are permuted (the converter permutes B's rows as it does the
    /// model's), from the base: a GGUF base's head counts, else the <c>config.json</c> beside the base checkpoint.
    /// </summary>
    public static long? RopeHeads(string adapterPath, string? architecture, string ggufName, ITensorSource baseSource)
    {
        if (architecture != "llama") return null;
        bool q = ggufName.EndsWith(".attn_q.weight", StringComparison.Ordinal), k = ggufName.EndsWith(".attn_k.weight", StringComparison.Ordinal);
        if (!q && !k) return null;
        if (baseSource is GgufModelSource gguf)
            return gguf.Header.Architecture == "llama" ? LlamaRopeOrder.PermutedHeads(ggufName, gguf.Header) : null;
        string config = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(baseSource.Description)) ?? ".", "config.json");
        if (File.Exists(config))
        {
            using var doc = System.Text.Json.JsonDocument.Parse(File.ReadAllBytes(config));
            var root = doc.RootElement;
            long? Get(string key) => root.TryGetProperty(key, out var v) && v.TryGetInt64(out long n) && n > 0 ? n : null;
            long? heads = Get("num_attention_heads");
            if (heads is not null) return k ? Get("num_key_value_heads") ?? heads : heads;
        }
        throw new ModelFormatException(adapterPath, ggufName + ".lora_b",
            "rows are in llama.cpp's rope order; comparing with the base needs its head count (a GGUF base with llama.attention.head_count, or config.json beside the base checkpoint).");
    }
}
