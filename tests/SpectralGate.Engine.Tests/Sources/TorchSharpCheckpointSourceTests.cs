using SpectralGate.Engine.Errors;
using SpectralGate.Engine.Sources.Safetensors;
using SpectralGate.Engine.Sources.TorchSharp;
using SpectralGate.Tests.Support;
using TorchSharp;
using static TorchSharp.torch;

namespace SpectralGate.Engine.Tests.Sources;

public class TorchSharpCheckpointSourceTests
{
    private static string SampleDat => Path.Combine(TestPaths.RepositoryRoot, "samples", "models", "bars-cnn.torchsharp.dat");
    private static string SampleSafetensors => Path.Combine(TestPaths.RepositoryRoot, "samples", "models", "bars-cnn.safetensors");

    private static Dictionary<string, (long[] Shape, float[] Values)> ReadAll(SpectralGate.Engine.Sources.ITensorSource source) =>
        source.Tensors.ToDictionary(e => e.Name, e =>
        {
            using var t = e.Load(torch.CPU, ScalarType.Float32);
            return (e.Shape, t.data<float>().ToArray());
        });

    [Test]
    public void TheBundledCheckpointEqualsItsSafetensorsTwin()
    {
        using var dat = new TorchSharpCheckpointSource(SampleDat);
        using var st = new SafetensorsFileSource(SampleSafetensors);

        var a = ReadAll(dat);
        var b = ReadAll(st);

        Assert.That(a.Keys, Is.EquivalentTo(b.Keys));
        foreach (var name in a.Keys)
        {
            Assert.That(a[name].Shape, Is.EqualTo(b[name].Shape), name);
            Assert.That(a[name].Values, Is.EqualTo(b[name].Values), name);
        }
    }

    [Test]
    public void AModuleSavedByTorchSharpIsReadWithoutItsClass()
    {
        torch.manual_seed(1);
        var module = nn.Sequential(("a", nn.Linear(8, 4)), ("r", nn.ReLU()), ("b", nn.Linear(4, 2)));
        string path = Path.Combine(TestPaths.NewScratchFolder(), "seq.bin");
        module.save(path);

        using var source = new TorchSharpCheckpointSource(path);
        var read = ReadAll(source);

        var expected = module.named_parameters().ToDictionary(p => p.name, p => (p.parameter.shape, p.parameter.detach().data<float>().ToArray()));
        Assert.That(read.Keys, Is.EqualTo(expected.Keys));
        foreach (var name in expected.Keys)
        {
            Assert.That(read[name].Shape, Is.EqualTo(expected[name].shape));
            Assert.That(read[name].Values, Is.EqualTo(expected[name].Item2));
        }
    }

    [Test]
    public void TruncatedCopiesAreRefusedWithTheFileNamed()
    {
        byte[] bytes = File.ReadAllBytes(SampleDat);
        string folder = TestPaths.NewScratchFolder();
        foreach (int cut in new[] { 0, 1, 2, 14, 15, 20, bytes.Length / 2, bytes.Length - 1 })
        {
            string path = Path.Combine(folder, $"cut{cut}.dat");
            File.WriteAllBytes(path, bytes[..cut]);
            long before = GC.GetAllocatedBytesForCurrentThread();
            var e = Assert.Throws<ModelFormatException>(() => new TorchSharpCheckpointSource(path), $"cut at {cut}");
            Assert.That(e!.Message, Does.StartWith(path));
            Assert.That(GC.GetAllocatedBytesForCurrentThread() - before, Is.LessThan(1 << 20));
        }
    }

    [Test]
    public void AbsurdLengthsAndRandomBytesAreRefused()
    {
        string folder = TestPaths.NewScratchFolder();
        string absurdCount = Path.Combine(folder, "count.dat");
        File.WriteAllBytes(absurdCount, [0xff, 0xff, 0xff, 0xff, 0x0f, 1, 2, 3]);
        string absurdDims = Path.Combine(folder, "dims.dat");
        // one entry "w", float32, rank 2, dims 2^40 x 2^40
        File.WriteAllBytes(absurdDims, [1, 1, (byte)'w', 6, 2, 0x80, 0x80, 0x80, 0x80, 0x80, 0x20, 0x80, 0x80, 0x80, 0x80, 0x80, 0x20]);
        string random = Path.Combine(folder, "random.dat");
        var noise = new byte[4096];
        new Random(2).NextBytes(noise);
        File.WriteAllBytes(random, noise);

        Assert.That(Assert.Throws<ModelFormatException>(() => new TorchSharpCheckpointSource(absurdCount))!.Message, Does.Contain("impossible"));
        Assert.That(Assert.Throws<ModelFormatException>(() => new TorchSharpCheckpointSource(absurdDims))!.Message, Does.Contain("overflows").Or.Contain("needs"));
        Assert.Throws<ModelFormatException>(() => new TorchSharpCheckpointSource(random));
    }
}
