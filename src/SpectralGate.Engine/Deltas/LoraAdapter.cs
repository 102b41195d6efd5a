using SpectralGate.Engine.Names;
using SpectralGate.Engine.Errors;
using SpectralGate.Engine.Signatures;
using SpectralGate.Engine.Sources;
using SpectralGate.Engine.Sources.Gguf;
using SpectralGate.Engine.Sources.Safetensors;
using TorchSharp;

namespace SpectralGate.Engine.Deltas;

/// <summary>
/// A LoRA adapter: a PEFT folder (<c>adapter_config.json</c> and <c>adapter_model.safetensors</c>; module names are mapped
/// to the base weight they update: <c>base_model.model.X.lora_A.weight</c> updates <c>X.weight</c>), or a llama.cpp GGUF
/// adapter file (<see cref="GgufLoraAdapter"/>).
/// </summary>
public sealed class LoraAdapter : IDisposable
{
    public const string ConfigFile = "adapter_config.json";
    public const string WeightsFile = "adapter_model.safetensors";
    private const string PeftPrefix = "base_model.model.";

    private readonly ITensorSource _weights;
    private readonly Dictionary<string, string>? _ggufNames;
    private List<LoraModule> _modules;

    private LoraAdapter(string folder, LoraConfig config, ITensorSource weights, List<LoraModule> modules, List<SkippedTensor> skipped, Dictionary<string, string>? ggufNames = null)
    {
        _ggufNames = ggufNames;
        _modules = modules;
        Folder = folder;
        Config = config;
        _weights = weights;
        Skipped = skipped;
    }

    public string Folder { get; }

    public LoraConfig Config { get; }

    /// <summary>Modules by target name, in natural name order.</summary>
    public IReadOnlyList<LoraModule> Modules => _modules;

    /// <summary>True for a llama.cpp GGUF adapter file.</summary>
    public bool IsGguf => _ggufNames is not null;

    /// <summary>Adapter tensors that are not LoRA A/B pairs (<c>modules_to_save</c>, embedding adapters, DoRA magnitudes), with why.</summary>
    public IReadOnlyList<SkippedTensor> Skipped { get; }

    public long ParameterCount => _weights.Tensors.Sum(t => t.ElementCount);

    /// <summary>True when <paramref name="path"/> is a folder holding an <c>adapter_config.json</c>.</summary>
    public static bool IsAdapterFolder(string path) => Directory.Exists(path) && File.Exists(Path.Combine(path, ConfigFile));

    /// <summary>True when <paramref name="path"/> is a PEFT adapter folder or a GGUF file with <c>general.type = adapter</c>.</summary>
    public static bool IsAdapter(string path) => IsAdapterFolder(path) || GgufLoraAdapter.IsAdapterFile(path);

    /// <summary>Opens a PEFT adapter folder or a GGUF adapter file.</summary>
    public static LoraAdapter Open(string folder)
    {
        if (!Directory.Exists(folder) && GgufLoraAdapter.IsAdapterFile(folder))
        {
            var (source, ggufModules, ggufSkipped, names) = GgufLoraAdapter.Read(folder);
            double alpha = source.Header.Metadata.GetValueOrDefault(GgufLoraAdapter.AlphaKey) is float f ? f : 0;
            int rank = ggufModules.Count == 0 ? 1 : ggufModules.Max(m => m.Rank);
            return new LoraAdapter(folder, new LoraConfig(rank, alpha, false, false, []) { Path = folder }, source, ggufModules, ggufSkipped, names);
        }
        string configPath = Path.Combine(folder, ConfigFile);
        string weightsPath = Path.Combine(folder, WeightsFile);
        if (!File.Exists(configPath)) throw new ModelFormatException(folder, null, $"has no {ConfigFile}; it is not a PEFT adapter folder.");
        if (!File.Exists(weightsPath)) throw new ModelFormatException(folder, null, $"has no {WeightsFile} (adapter_model.bin is not read).");
        var config = LoraConfig.Read(configPath);
        var weights = new SafetensorsFileSource(weightsPath);
        try
        {
            var entries = weights.Tensors.ToDictionary(t => t.Name, StringComparer.Ordinal);
            var modules = new List<LoraModule>();
            var skipped = new List<SkippedTensor>();
            foreach (var entry in entries.Values)
            {
                if (entry.Name.EndsWith(".lora_B.weight", StringComparison.Ordinal)) continue;
                if (!entry.Name.EndsWith(".lora_A.weight", StringComparison.Ordinal))
                {
                    skipped.Add(new SkippedTensor(entry.Name, entry.Shape, "not a LoRA A/B matrix"));
                    continue;
                }
                string stem = entry.Name[..^".lora_A.weight".Length];
                if (!entries.TryGetValue(stem + ".lora_B.weight", out var b))
                    throw new ModelFormatException(weightsPath, entry.Name, "has no matching lora_B.weight.");
                if (entry.Shape.Length != 2 || b.Shape.Length != 2 || entry.Shape[0] != b.Shape[1])
                    throw new ModelFormatException(weightsPath, entry.Name,
                        $"lora_A [{string.Join(", ", entry.Shape)}] and lora_B [{string.Join(", ", b.Shape)}] are not [r, in] and [out, r].");
                string module = stem.StartsWith(PeftPrefix, StringComparison.Ordinal) ? stem[PeftPrefix.Length..] : stem;
                modules.Add(new LoraModule(module + ".weight", entry, b, config.ScaleOf(module, (int)entry.Shape[0], entry.Name)));
            }
            foreach (var entry in entries.Values)
                if (entry.Name.EndsWith(".lora_B.weight", StringComparison.Ordinal) && !entries.ContainsKey(entry.Name[..^".lora_B.weight".Length] + ".lora_A.weight"))
                    throw new ModelFormatException(weightsPath, entry.Name, "has no matching lora_A.weight.");
            modules.Sort((x, y) => NaturalNameComparer.Instance.Compare(x.Target, y.Target));
            skipped.Sort((x, y) => NaturalNameComparer.Instance.Compare(x.Name, y.Name));
            return new LoraAdapter(folder, config, weights, modules, skipped);
        }
        catch
        {
            weights.Dispose();
            throw;
        }
    }

    /// <summary>The shape of the base weight a module updates: <c>[out, in]</c>, or <c>[in, out]</c> under <c>fan_in_fan_out</c>.</summary>
    public long[] TargetShape(LoraModule module) =>
        module.EmbeddingOrder ? [module.A.Shape[0], module.B.Shape[0]]
        : Config.FanInFanOut ? [module.A.Shape[1], module.B.Shape[0]] : [module.B.Shape[0], module.A.Shape[1]];

    /// <summary>
    /// Puts the rows of a GGUF adapter's llama q/k updates back in Hugging Face order, with the head counts of
    /// <paramref name="baseSource"/> (the spectrum does not depend on it; a delta against the base does).
    /// </summary>
    internal void AlignRowsWith(ITensorSource baseSource)
    {
        if (_ggufNames is null || _weights is not GgufModelSource gguf) return;
        _modules = _modules.Select(m => m.EmbeddingOrder ? m
            : m with { RopeHeads = GgufLoraAdapter.RopeHeads(Folder, gguf.Header.Architecture, _ggufNames[m.Target], baseSource) }).ToList();
    }

    /// <summary>A module's ΔW = s·B·A as its factors, read in <paramref name="type"/> (one layer at a time).</summary>
    internal LowRankUpdate Update(LoraModule module, torch.Device device, torch.ScalarType type)
    {
        var (b, a) = Load(module, device, type);
        // llama.cpp's token_embd: ΔW = s·A·Bᵀ, so A plays B's part and Bᵀ A's.
        if (module.EmbeddingOrder) return new LowRankUpdate(a, b.t(), module.Scale, false);
        if (module.RopeHeads is long heads && LlamaRopeOrder.Fits(b.shape, heads)) b = LlamaRopeOrder.ToHuggingFace(b, heads);
        return new LowRankUpdate(b, a, module.Scale, Config.FanInFanOut);
    }

    /// <summary>λ of ΔW from the factors (<see cref="LowRankSpectrum"/>); the orientation does not change it.</summary>
    public double[] Eigenvalues(LoraModule module, torch.Device device, torch.ScalarType type)
    {
        using var scope = torch.NewDisposeScope();
        return Update(module, device, type).Eigenvalues();
    }

    /// <summary>SHA-256 of the config then the weights file.</summary>
    public string ComputeSha256() => IsGguf ? FileSha256.Of(Folder) : FileSha256.Of(Path.Combine(Folder, ConfigFile), Path.Combine(Folder, WeightsFile));

    public ModelInfo Info() => new(Folder, IsGguf ? "gguf_lora" : "peft_lora", ComputeSha256(), ParameterCount);

    // Through the read stage, so a bad factor is a bad file naming it, and a machine out of memory is told apart.
    private (torch.Tensor B, torch.Tensor A) Load(LoraModule module, torch.Device device, torch.ScalarType type) =>
        (TensorReader.Read(_weights, module.B, device, type), TensorReader.Read(_weights, module.A, device, type));

    public void Dispose() => _weights.Dispose();
}
