using System.Text;
using SpectralGate.Engine.Sources;
using SpectralGate.Engine.Sources.Safetensors;
using SpectralGate.Tests.Support;
using TorchSharp;

namespace SpectralGate.Engine.Tests.Sources;

/// <summary>
/// Tensors over 2 GiB in safetensors: read without int lengths or spans over the whole, from a sparse file (the disk
/// holds a few pages, not 2 GiB), and the chunked copy checked value by value at its boundaries.
/// </summary>
public class LargeSafetensorsTensorTests
{
    [TestCase(TensorDType.Float32, 12)]
    [TestCase(TensorDType.Float32, 4)]
    [TestCase(TensorDType.BFloat16, 6)]
    [TestCase(TensorDType.Float64, 1000)]
    public void AChunkedCopyHoldsEveryValueInPlace(TensorDType dtype, int chunkBytes)
    {
        float[] values = Enumerable.Range(0, 7 * 13).Select(i => (i - 40) * 0.375f).ToArray();
        byte[] bytes = dtype switch
        {
            TensorDType.Float32 => values.SelectMany(BitConverter.GetBytes).ToArray(),
            TensorDType.BFloat16 => values.SelectMany(v => BitConverter.GetBytes(TensorData.SingleToBFloat16(v))).ToArray(),
            _ => values.SelectMany(v => BitConverter.GetBytes((double)v)).ToArray(),
        };

        using (var t = ChunkedTensorData.ToTensor(bytes, dtype, [7, 13], torch.ScalarType.Float64, torch.CPU, chunkBytes))
        {
            Assert.That(t.shape, Is.EqualTo(new long[] { 7, 13 }));
            Assert.That(t.data<double>().ToArray(), Is.EqualTo(values.Select(v => (double)v)));
        }
    }

    /// <summary>
    /// A safetensors file of one F32 tensor of <paramref name="shape"/> and a small one after it, laid out sparsely:
    /// only the header and the given float values are written.
    /// </summary>
    private static string Sparse(long[] shape, IReadOnlyDictionary<long, float> written)
    {
        long elements = shape.Aggregate(1L, (a, b) => a * b);
        long bytes = elements * 4;
        string header = $$$"""{"embed_tokens.weight":{"dtype":"F32","shape":[{{{string.Join(",", shape)}}}],"data_offsets":[0,{{{bytes}}}]},"fc.weight":{"dtype":"F32","shape":[16,12],"data_offsets":[{{{bytes}}},{{{bytes + 768}}}]}}""";
        header += new string(' ', (8 - header.Length % 8) % 8);
        string path = Path.Combine(TestPaths.NewScratchFolder(), "large.safetensors");
        using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write);
        file.Write(BitConverter.GetBytes((ulong)header.Length));
        file.Write(Encoding.ASCII.GetBytes(header));
        long dataStart = file.Position;
        file.SetLength(dataStart + bytes + 768);
        foreach (var (index, value) in written)
        {
            file.Position = dataStart + index * 4;
            file.Write(BitConverter.GetBytes(value));
        }
        file.Position = dataStart + bytes;
        file.Write(SafetensorsFixtures.Ramp(192).SelectMany(BitConverter.GetBytes).ToArray());
        return path;
    }

    [Test]
    public void ATensorOver2GiBInASparseFileIsReadWithEveryValueInPlace()
    {
        // 32769 x 16384 floats: 2 GiB + 64 KiB. Marks at the start, at both sides of a chunk boundary, past the
        // 2^31-byte mark, and at the end.
        long[] shape = [32769, 16384];
        long last = 32769L * 16384 - 1;
        long chunk = ChunkedTensorData.DefaultChunkBytes / 4;
        var marks = new Dictionary<long, float> { [0] = 1.5f, [chunk - 1] = -2.5f, [chunk] = 3.25f, [(1L << 29) + 7] = 4.75f, [last] = -5.125f };
        string path = Sparse(shape, marks);

        using var source = new SafetensorsFileSource(path);
        var entry = source.Tensors.First();
        using var t = entry.Load(torch.CPU, torch.ScalarType.Float32);
        using var flat = t.reshape(-1);

        Assert.Multiple(() =>
        {
            Assert.That(entry.Name, Is.EqualTo("embed_tokens.weight"));
            Assert.That(t.shape, Is.EqualTo(shape));
            foreach (var (index, value) in marks) Assert.That(flat[index].item<float>(), Is.EqualTo(value), $"element {index}");
            Assert.That(flat[chunk + 1].item<float>(), Is.Zero);
            Assert.That(source.Tensors.Last().Shape, Is.EqualTo(new long[] { 16, 12 }));
        });
    }
}
