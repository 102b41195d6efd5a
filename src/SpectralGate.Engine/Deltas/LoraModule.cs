using SpectralGate.Engine.Sources;

namespace SpectralGate.Engine.Deltas;

/// <summary>One LoRA module: the base weight it updates, and its A <c>[r, in]</c> and B <c>[out, r]</c> tensors.</summary>
public sealed record LoraModule(string Target, TensorEntry A, TensorEntry B, double Scale)
{
    public int Rank => (int)A.Shape[0];
}
