using SpectralGate.Engine.Signatures;
using TorchSharp;

namespace SpectralGate.Engine.Deltas;

/// <summary>
/// ΔW = s·B·A held as its factors (a LoRA module: B <c>[m, r]</c>, A <c>[r, n]</c>), in the base weight's orientation
/// after a transpose when <paramref name="Transposed"/> (PEFT's <c>fan_in_fan_out</c>). Its spectrum comes from the
/// factors (<see cref="LowRankSpectrum"/>); only W_tuned = W_base + ΔW is ever dense.
/// </summary>
internal sealed record LowRankUpdate(torch.Tensor B, torch.Tensor A, double Scale, bool Transposed)
{
    /// <summary>λ of ΔW, descending, min(m, n) values (zeros beyond r).</summary>
    public double[] Eigenvalues() => LowRankSpectrum.Eigenvalues(B, A, Scale);

    /// <summary>The layer fingerprint of the factors (<see cref="LayerFingerprint.OfFactors"/>): of A, B and s, not of the dense ΔW.</summary>
    public string Fingerprint() => LayerFingerprint.OfFactors(A, B, Scale);

    /// <summary>True when s·B·A is exactly zero through a zero factor or scale (PEFT initialises B to zero).</summary>
    public bool IsZero => Scale == 0 || B.count_nonzero().item<long>() == 0 || A.count_nonzero().item<long>() == 0;

    /// <summary>
    /// W_base + s·B·A as a new tensor, in one fused multiply-add with s applied to the small factor B (addmm's own alpha
    /// is a float32), so no dense ΔW is allocated beside the two weights.
    /// </summary>
    public torch.Tensor AddedTo(torch.Tensor wBase)
    {
        using torch.Tensor scaledB = B * Scale;
        return Transposed ? torch.addmm(wBase, A.t(), scaledB.t(), 1, 1) : torch.addmm(wBase, scaledB, A, 1, 1);
    }
}
