using System.IO.Hashing;
using TorchSharp;

namespace SpectralGate.Engine.Signatures;

/// <summary>
/// A layer's content hash: XxHash128 (XXH3, 128-bit) of its decoded values as little-endian float32, in the layout of
/// the layer's matrices, as 32 lower-case hex digits. XXH3 hashes at memory speed, so a fingerprint costs far less than
/// the spectrum; 128 bits keep accidental collisions out of reach across any number of layers. Float32 makes it
/// independent of the storage dtype and of the spectrum precision: a bf16 checkpoint converted to f32 (same values)
/// hashes the same, while any change of a value that float32 can see changes it (docs/baselines.md, "Fingerprints").
/// </summary>
public static class LayerFingerprint
{
    /// <summary>Values hashed per step: bounds the float32 copy of a float64 tensor to 4 MiB.</summary>
    private const long ChunkElements = 1 << 20;

    public static string Of(torch.Tensor values)
    {
        var hash = NewHash();
        Append(hash, values);
        return Convert.ToHexStringLower(hash.GetCurrentHash());
    }

    /// <summary>
    /// The fingerprint of a low-rank update s·B·A held as its factors (a LoRA module, whose dense product is never formed):
    /// float32 values of A, then of B, then s as a little-endian float64. Two adapters with the same factors and scale
    /// share it; the same ΔW factored differently (B·M, M⁻¹·A) does not.
    /// </summary>
    public static string OfFactors(torch.Tensor a, torch.Tensor b, double scale)
    {
        var hash = NewHash();
        Append(hash, a);
        Append(hash, b);
        hash.Append(BitConverter.GetBytes(scale));
        return Convert.ToHexStringLower(hash.GetCurrentHash());
    }

    private static XxHash128 NewHash()
    {
        // The hash is of little-endian bytes; a big-endian host would need a byte swap that nothing here does.
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("layer fingerprints are defined on little-endian float32 bytes.");
        return new XxHash128();
    }

    private static void Append(XxHash128 hash, torch.Tensor values)
    {
        using var scope = torch.NewDisposeScope();
        torch.Tensor flat = values.detach().cpu().reshape(-1);
        long count = flat.numel();
        for (long start = 0; start < count; start += ChunkElements)
        {
            using torch.Tensor chunk = flat.narrow(0, start, Math.Min(ChunkElements, count - start)).to(torch.ScalarType.Float32).contiguous();
            hash.Append(chunk.bytes);
        }
    }
}
