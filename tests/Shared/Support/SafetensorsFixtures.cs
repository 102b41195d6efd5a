using System.Text;
using SpectralGate.Engine.Sources.Safetensors;
using SpectralGate.Tests.Support;

namespace SpectralGate.Tests.Support;

/// <summary>Builds safetensors files, good and hostile, in a scratch folder.</summary>
internal static class SafetensorsFixtures
{
    public static string Write(params SafetensorsWriter.Tensor[] tensors)
    {
        string path = Path.Combine(TestPaths.NewScratchFolder(), "model.safetensors");
        SafetensorsWriter.Write(path, tensors);
        return path;
    }

    /// <summary>A file with exactly this header JSON and this many data bytes (zeros).</summary>
    public static string WithHeader(string headerJson, int dataBytes)
    {
        byte[] header = Encoding.UTF8.GetBytes(headerJson);
        return WithRawHeader(header, (ulong)header.Length, dataBytes);
    }

    public static string WithRawHeader(byte[] header, ulong declaredLength, int dataBytes)
    {
        string path = Path.Combine(TestPaths.NewScratchFolder(), "hostile.safetensors");
        var bytes = new List<byte>(BitConverter.GetBytes(declaredLength));
        bytes.AddRange(header);
        bytes.AddRange(new byte[dataBytes]);
        File.WriteAllBytes(path, bytes.ToArray());
        return path;
    }

    public static float[] Ramp(int count, float scale = 0.25f) => Enumerable.Range(0, count).Select(i => (i - count / 2) * scale).ToArray();
}
