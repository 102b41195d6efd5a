using SpectralGate.Engine.Sources.Safetensors;
using SpectralGate.Tests.Support;

namespace SpectralGate.Fuzz;

/// <summary>
/// Seeds of the quantized target: the TinyLlama checkpoint packed as GPTQ (3-bit act-order, v2 2-bit), AWQ,
/// compressed-tensors (int4 asymmetric) and FP8 blocks (tests/Shared/Support/QuantizedCheckpoints.cs), each with
/// its config.json, so that mutations reach every decoder's checks.
/// </summary>
internal static class QuantizedSeeds
{
    /// <summary>The target's input: uint32 length of the config, the config, the safetensors bytes.</summary>
    public static byte[] Pack(string config, byte[] safetensors)
    {
        byte[] json = System.Text.Encoding.UTF8.GetBytes(config);
        return [.. BitConverter.GetBytes((uint)json.Length), .. json, .. safetensors];
    }

    public static void Write(string folder)
    {
        string target = Path.Combine(folder, "quantized");
        Directory.CreateDirectory(target);
        var seeds = new (string Name, QuantizedCheckpoints.Checkpoint Checkpoint)[]
        {
            ("gptq-3bit-act-order", QuantizedCheckpoints.Gptq(3, 32, v2: false, actOrder: true)),
            ("gptq-v2-2bit", QuantizedCheckpoints.Gptq(2, 16, v2: true, actOrder: false)),
            ("awq", QuantizedCheckpoints.Awq(32)),
            ("compressed-int4", QuantizedCheckpoints.CompressedPacked(4, 32, symmetric: false)),
            ("fp8-block", QuantizedCheckpoints.Fp8Block(48, 48)),
        };
        foreach (var (name, checkpoint) in seeds)
            File.WriteAllBytes(Path.Combine(target, name + ".bin"), Pack(checkpoint.ConfigJson, SafetensorsWriter.ToBytes(checkpoint.Tensors)));
    }
}
