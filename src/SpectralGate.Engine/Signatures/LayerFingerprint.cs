using System.IO.Hashing;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
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
        if (flat.dtype == torch.ScalarType.Float32)
        {
            // Already the hashed bytes: no copy at all.
            torch.Tensor contiguous = flat.contiguous();
            for (long start = 0; start < count; start += ChunkElements)
                hash.Append(contiguous.narrow(0, start, Math.Min(ChunkElements, count - start)).bytes);
            return;
        }
        // Narrowed to float32 here, chunk by chunk into one buffer: libtorch's conversion into a fresh tensor per chunk paid
        // each buffer's first-touch page clearing, 13× the float32 fingerprint (`-- fingerprint`). (float)d rounds to
        // nearest even as libtorch's cast does (tested against it).
        torch.Tensor wide = flat.to(torch.ScalarType.Float64).contiguous();
        var buffer = new float[Math.Min(ChunkElements, count)];
        for (long start = 0; start < count; start += ChunkElements)
        {
            int length = (int)Math.Min(ChunkElements, count - start);
            Narrow(MemoryMarshal.Cast<byte, double>(wide.narrow(0, start, length).bytes), buffer);
            hash.Append(MemoryMarshal.AsBytes(buffer.AsSpan(0, length)));
        }
    }

    // Optimised on first call: a tool process lives seconds, and the unoptimised first tier of this loop is 5× slower.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Narrow(ReadOnlySpan<double> values, float[] into)
    {
        for (int i = 0; i < values.Length; i++) into[i] = (float)values[i];
    }
}
