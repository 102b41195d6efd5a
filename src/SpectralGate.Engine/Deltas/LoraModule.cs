using SpectralGate.Engine.Sources;

namespace SpectralGate.Engine.Deltas;

/// <summary>One LoRA module: the base weight it updates, and its A <c>[r, in]</c> and B <c>[out, r]</c> tensors.</summary>
public sealed record LoraModule(string Target, TensorEntry A, TensorEntry B, double Scale)
{
    /// <summary>
    /// True for llama.cpp's <c>token_embd</c> adapter, stored as A <c>[vocab, r]</c> and B <c>[embd, r]</c> with
    /// ΔW = s·A·Bᵀ (convert_lora_to_gguf.py transposes its lora_a; llama-adapter.cpp "A and B are flipped").
    /// </summary>
    public bool EmbeddingOrder { get; init; }

    /// <summary>Heads over which B's rows are in llama.cpp's rope order (<see cref="Sources.Gguf.LlamaRopeOrder"/>), undone when read; or null.</summary>
    public long? RopeHeads { get; init; }

    public int Rank => (int)(EmbeddingOrder ? A.Shape[1] : A.Shape[0]);
}
