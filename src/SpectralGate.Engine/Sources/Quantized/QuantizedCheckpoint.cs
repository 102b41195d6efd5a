namespace SpectralGate.Engine.Sources.Quantized;

/// <summary>
/// The tensors of one checkpoint (all shards) seen as quantized weights and their parameters: each decoder of
/// <see cref="QuantizedDecoders.All"/> claims the tensors of the weights it recognises; what is left is stored plainly.
/// </summary>
public sealed class QuantizedCheckpoint
{
    private readonly Dictionary<string, StoredTensor> _byName = new(StringComparer.Ordinal);
    private readonly Dictionary<string, QuantizedWeight> _packedOf = new(StringComparer.Ordinal);
    private readonly Dictionary<string, QuantizedWeight> _parameterOf = new(StringComparer.Ordinal);
    private readonly List<QuantizedWeight> _weights = [];

    private QuantizedCheckpoint(string path, QuantizationLayout? layout, IReadOnlyList<StoredTensor> tensors)
    {
        Path = path;
        Layout = layout;
        Tensors = tensors;
        foreach (var t in tensors) _byName.TryAdd(t.Name, t);
    }

    /// <summary>The checkpoint as given (a file, or a sharded checkpoint's index).</summary>
    public string Path { get; }

    /// <summary>What the configuration next to the checkpoint says, or null when nothing does.</summary>
    public QuantizationLayout? Layout { get; }

    /// <summary>Every tensor, in stored order (shard by shard).</summary>
    public IReadOnlyList<StoredTensor> Tensors { get; }

    /// <summary>The weights found, in the order of their packed tensors.</summary>
    public IReadOnlyList<QuantizedWeight> Weights => _weights;

    public StoredTensor? Find(string name) => _byName.GetValueOrDefault(name);

    /// <summary>True when a decoder has taken the tensor as a weight or a parameter.</summary>
    public bool IsClaimed(string name) => _packedOf.ContainsKey(name) || _parameterOf.ContainsKey(name);

    /// <summary>The unclaimed tensor of that name, or null.</summary>
    public StoredTensor? Unclaimed(string name) => IsClaimed(name) ? null : Find(name);

    /// <summary>The weight whose packed tensor this is, or null.</summary>
    public QuantizedWeight? WeightPackedIn(string name) => _packedOf.GetValueOrDefault(name);

    /// <summary>The weight this tensor is a parameter of, or null.</summary>
    public QuantizedWeight? ParameterOf(string name) => _parameterOf.GetValueOrDefault(name);

    /// <summary>
    /// True when a checkpoint may hold quantized weights: a configuration states a quantization, or a tensor has a
    /// quantization's name or dtype. Plain checkpoints skip recognition altogether, and read exactly as before.
    /// </summary>
    public static bool IsWorthRecognising(QuantizationLayout? layout, IEnumerable<(string Name, string DType)> tensors) =>
        layout is not null || tensors.Any(t => QuantizationParameterNames.LooksQuantized(t.Name, t.DType));

    /// <summary>Runs every decoder over the tensors; throws <see cref="Errors.ModelFormatException"/> on a contradiction.</summary>
    public static QuantizedCheckpoint Recognise(string path, QuantizationLayout? layout, IReadOnlyList<StoredTensor> tensors, IReadOnlyList<IQuantizedWeightDecoder>? decoders = null)
    {
        var checkpoint = new QuantizedCheckpoint(path, layout, tensors);
        foreach (var decoder in decoders ?? QuantizedDecoders.All)
            foreach (var weight in decoder.Find(checkpoint).ToList())
                checkpoint.Claim(weight);
        checkpoint.ListLeftovers();
        checkpoint._weights.Sort((a, b) => checkpoint.Order(a.Packed).CompareTo(checkpoint.Order(b.Packed)));
        return checkpoint;
    }

    private readonly Dictionary<string, (string Weight, string Layout)> _orphans = new(StringComparer.Ordinal);

    /// <summary>
    /// What looks quantized but no decoder claimed: a packed weight becomes an <see cref="UndecodedWeight"/> (with the
    /// tensors beside it that carry a parameter's name as its parameters); a parameter with no packed weight beside it
    /// (an FP8 KV-cache scale, an activation scale of a float weight) is listed as a parameter of its module.
    /// </summary>
    private void ListLeftovers()
    {
        string layout = LayoutName(Layout?.Method);
        string reason = Layout is null
            ? "no quantization config (config.json quantization_config, quantize_config.json, hf_quant_config.json) names its layout"
            : $"quantization method '{Layout.Method}' of {System.IO.Path.GetFileName(Layout.ConfigPath)} is not decoded";
        var parametersOf = new Dictionary<string, List<StoredTensor>>(StringComparer.Ordinal);
        var packed = new List<StoredTensor>();
        foreach (var t in Tensors)
        {
            if (IsClaimed(t.Name) || !QuantizationParameterNames.LooksQuantized(t.Name, t.DType)) continue;
            string last = QuantizationParameterNames.LastSegment(t.Name);
            if (last is "qweight" or "weight_packed" || last.EndsWith("_blocks", StringComparison.Ordinal) || QuantizationParameterNames.IsQuantizedFloat(t.DType)) packed.Add(t);
            else
            {
                string module = OwnerModule(t.Name);
                if (!parametersOf.TryGetValue(module, out var list)) parametersOf[module] = list = [];
                list.Add(t);
            }
        }
        // A plain-named weight stored as integers beside parameters (bitsandbytes, MLX, int8) is packed too.
        foreach (var (module, _) in parametersOf)
            if (Unclaimed(QuantizationParameterNames.Join(module, "weight")) is { } w && !QuantizedValues.IsFloat(w.DType) && !packed.Contains(w)) packed.Add(w);
        foreach (var t in packed)
        {
            string last = QuantizationParameterNames.LastSegment(t.Name);
            string module = last.EndsWith("_blocks", StringComparison.Ordinal) ? t.Name : QuantizationParameterNames.Module(t.Name);
            string name = last.EndsWith("_blocks", StringComparison.Ordinal) ? t.Name[..^"_blocks".Length]
                : last is "qweight" or "weight_packed" ? QuantizationParameterNames.Join(module, "weight") : t.Name;
            var parameters = parametersOf.Remove(module, out var list) ? list : [];
            if (last.EndsWith("_blocks", StringComparison.Ordinal) && Unclaimed(name + "_scales") is { } blockScales && !parameters.Contains(blockScales)) parameters.Add(blockScales);
            if (name != t.Name && Find(name) is not null && !parameters.Any(p => p.Name == name)) name = t.Name;
            Claim(new UndecodedWeight(name, t.Shape, layout, $"{t.DType} {layout}", t, parameters, reason));
        }
        foreach (var (module, list) in parametersOf)
        {
            string owner = Find(QuantizationParameterNames.Join(module, "weight")) is not null ? QuantizationParameterNames.Join(module, "weight") : module;
            foreach (var t in list)
                if (!IsClaimed(t.Name)) _orphans[t.Name] = (owner, layout);
        }
    }

    // bitsandbytes keeps a weight's parameters under the weight's own name (weight.absmax, weight.quant_state.*).
    private static string OwnerModule(string name)
    {
        int at = name.IndexOf(".weight.", StringComparison.Ordinal);
        return at >= 0 ? name[..at] : QuantizationParameterNames.Module(name);
    }

    /// <summary>The layout as a user knows it, from the configuration's method.</summary>
    public static string LayoutName(string? method) => method switch
    {
        null => "unrecognised quantization",
        "gptq" => "GPTQ",
        "awq" => "AWQ",
        "fp8" => "FP8",
        "mlx" => "MLX",
        "modelopt" => "ModelOpt",
        _ => method,
    };

    private readonly Dictionary<string, int> _order = new(StringComparer.Ordinal);

    private int Order(StoredTensor t)
    {
        if (_order.Count == 0)
            for (int i = 0; i < Tensors.Count; i++) _order.TryAdd(Tensors[i].Name, i);
        return _order[t.Name];
    }

    private void Claim(QuantizedWeight weight)
    {
        foreach (var t in weight.Parameters.Prepend(weight.Packed))
            if (IsClaimed(t.Name))
                throw t.Bad($"is claimed by two quantized weights ('{weight.Name}' and '{(WeightPackedIn(t.Name) ?? ParameterOf(t.Name))!.Name}').");
        if (weight.Name != weight.Packed.Name && Find(weight.Name) is { } clash && !weight.Parameters.Contains(clash))
            throw clash.Bad($"is stored beside '{weight.Packed.Name}', whose decoded weight has the same name.");
        _packedOf[weight.Packed.Name] = weight;
        foreach (var p in weight.Parameters) _parameterOf[p.Name] = weight;
        _weights.Add(weight);
    }

    /// <summary>
    /// The checkpoint's entries in stored order: a quantized weight in the place of its packed tensor, its parameters
    /// marked as such, everything else as <paramref name="plain"/> gives it.
    /// </summary>
    public IEnumerable<TensorEntry> Arrange(IEnumerable<TensorEntry> plain)
    {
        foreach (var entry in plain)
        {
            if (WeightPackedIn(entry.Name) is { } weight) yield return new QuantizedTensorEntry(weight);
            else if (ParameterOf(entry.Name) is { } owner) yield return new QuantizationParameterEntry(entry, owner.Name, owner.Layout);
            else if (_orphans.TryGetValue(entry.Name, out var orphan)) yield return new QuantizationParameterEntry(entry, orphan.Weight, orphan.Layout);
            else yield return entry;
        }
    }
}
