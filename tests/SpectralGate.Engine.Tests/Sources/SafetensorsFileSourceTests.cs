using SpectralGate.Tests.Support;
using System.Security.Cryptography;
using SpectralGate.Engine.Errors;
using SpectralGate.Engine.Sources;
using SpectralGate.Engine.Sources.Safetensors;
using TorchSharp;
using static SpectralGate.Tests.Support.SafetensorsFixtures;

namespace SpectralGate.Engine.Tests.Sources;

public class SafetensorsFileSourceTests
{
    [Test]
    public void ReadsFloat32ValuesExactly()
    {
        float[] values = Ramp(12);
        string path = Write(SafetensorsWriter.Float32("w", [3, 4], values));

        using var source = new SafetensorsFileSource(path);
        var entry = source.Tensors.Single();
        using var tensor = entry.Load(torch.CPU, torch.ScalarType.Float32);

        Assert.Multiple(() =>
        {
            Assert.That(entry.Name, Is.EqualTo("w"));
            Assert.That(entry.Shape, Is.EqualTo(new long[] { 3, 4 }));
            Assert.That(entry.DType, Is.EqualTo(TensorDType.Float32));
            Assert.That(tensor.shape, Is.EqualTo(new long[] { 3, 4 }));
            Assert.That(tensor.data<float>().ToArray(), Is.EqualTo(values));
        });
    }

    [Test]
    public void WidensBFloat16AndFloat16Exactly()
    {
        // Values exactly representable in both 16-bit formats.
        float[] values = [1f, -2f, 0.5f, 3.75f, -0.125f, 96f];
        var f16Bytes = values.SelectMany(v => BitConverter.GetBytes((Half)v)).ToArray();
        string path = Write(
            SafetensorsWriter.BFloat16("bf", [2, 3], values),
            new SafetensorsWriter.Tensor("h", "F16", [3, 2], f16Bytes));

        using var source = new SafetensorsFileSource(path);
        var entries = source.Tensors.ToDictionary(e => e.Name);
        using var bf = entries["bf"].Load(torch.CPU, torch.ScalarType.Float64);
        using var h = entries["h"].Load(torch.CPU, torch.ScalarType.Float64);

        Assert.Multiple(() =>
        {
            Assert.That(entries["bf"].DType, Is.EqualTo(TensorDType.BFloat16));
            Assert.That(entries["h"].DType, Is.EqualTo(TensorDType.Float16));
            Assert.That(bf.data<double>().ToArray(), Is.EqualTo(values.Select(v => (double)v)));
            Assert.That(h.data<double>().ToArray(), Is.EqualTo(values.Select(v => (double)v)));
        });
    }

    [Test]
    public void BFloat16RoundsToNearestEven()
    {
        // 1 + 2^-8 lies exactly between two bfloat16 values (1 and 1 + 2^-7): ties go to the even mantissa, 1.
        Assert.Multiple(() =>
        {
            Assert.That(TensorData.BFloat16ToSingle(TensorData.SingleToBFloat16(1f + 1f / 256)), Is.EqualTo(1f));
            Assert.That(TensorData.BFloat16ToSingle(TensorData.SingleToBFloat16(1f + 3f / 256)), Is.EqualTo(1f + 4f / 256));
        });
    }

    [Test]
    public void OtherDTypesAreListedAsUnsupported()
    {
        string path = Write(
            new SafetensorsWriter.Tensor("ids", "I64", [2], new byte[16]),
            SafetensorsWriter.Float32("w", [2], [1f, 2f]));

        using var source = new SafetensorsFileSource(path);
        var ids = source.Tensors.Single(e => e.Name == "ids");

        Assert.That(ids.DType, Is.EqualTo(TensorDType.Unsupported));
        Assert.That(ids.StoredDType, Is.EqualTo("I64"));
    }

    [Test]
    public void Sha256IsThatOfTheFileBytes()
    {
        string path = Write(SafetensorsWriter.Float32("w", [2, 2], [1f, 2f, 3f, 4f]));

        using var source = new SafetensorsFileSource(path);

        Assert.That(source.ComputeSha256(), Is.EqualTo(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)))));
    }

    [Test]
    public void MissingFileNamesTheFile()
    {
        string path = Path.Combine(Path.GetTempPath(), "no-such-model.safetensors");

        var e = Assert.Throws<ModelFormatException>(() => new SafetensorsFileSource(path));

        Assert.That(e!.Message, Does.Contain("no-such-model.safetensors").And.Contain("not found"));
    }
}
