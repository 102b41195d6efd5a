using SpectralGate.Engine.Errors;
using SpectralGate.Engine.Signatures;
using SpectralGate.Engine.Sources;
using SpectralGate.Engine.Sources.PyTorch;
using SpectralGate.Engine.Sources.Safetensors;
using SpectralGate.Tests.Support;
using TorchSharp;
using static SpectralGate.Tests.Support.TorchSaveWriter;

namespace SpectralGate.Engine.Tests.Sources.PyTorch;

public class PyTorchCheckpointSourceTests
{
    private static string Fixture(string file) => Path.Combine(AppContext.BaseDirectory, "Fixtures", "pytorch", file);

    private static string Scratch(string name) => Path.Combine(TestPaths.NewScratchFolder(), name);

    private static double[] Values(TensorEntry e)
    {
        using var t = e.Load(torch.CPU, torch.ScalarType.Float64);
        return t.data<double>().ToArray();
    }

    private static double[] Range(int n, Func<int, double> f) => Enumerable.Range(0, n).Select(f).ToArray();

    [Test]
    public void AStateDictSavedByPyTorchIsReadWithItsViewsAndDTypes()
    {
        using var source = ModelSources.Open(Fixture("state_dict.pt"));
        var entries = source.Tensors.ToDictionary(e => e.Name);

        Assert.That(source, Is.InstanceOf<PyTorchCheckpointSource>());
        Assert.That(entries.Keys, Is.EqualTo(new[] { "fc.weight", "fc.bias", "half.weight", "bf16.weight", "tied.weight", "slice.weight", "steps" }));
        Assert.That(entries["fc.weight"].Shape, Is.EqualTo(new long[] { 4, 6 }));
        Assert.That(Values(entries["fc.weight"]), Is.EqualTo(Range(24, i => i / 8.0)));
        Assert.That(Values(entries["fc.bias"]), Is.EqualTo(Range(4, i => i - 1.5)));
        Assert.That(entries["half.weight"].DType, Is.EqualTo(TensorDType.Float16));
        Assert.That(Values(entries["half.weight"]), Is.EqualTo(Range(12, i => i / 4.0)));
        Assert.That(entries["bf16.weight"].DType, Is.EqualTo(TensorDType.BFloat16));
        Assert.That(Values(entries["bf16.weight"]), Is.EqualTo(Range(12, i => i / 4.0)));
        // w.t()[r, c] = w[c, r] = (6c + r) / 8
        Assert.That(entries["tied.weight"].Shape, Is.EqualTo(new long[] { 6, 4 }));
        Assert.That(Values(entries["tied.weight"]), Is.EqualTo(Range(24, i => (6 * (i % 4) + i / 4) / 8.0)));
        Assert.That(Values(entries["slice.weight"]), Is.EqualTo(Range(12, i => (i + 6) / 8.0)));
        Assert.That(entries["steps"].DType, Is.EqualTo(TensorDType.Unsupported));
        Assert.That(entries["steps"].StoredDType, Is.EqualTo("int64"));
    }

    [Test]
    public void NestedDictsAreFlattenedWithDotsAndOtherValuesIgnored()
    {
        using var source = ModelSources.Open(Fixture("nested.pt"));

        var entry = source.Tensors.Single();

        Assert.That(entry.Name, Is.EqualTo("model.fc.weight"));
        Assert.That(Values(entry), Is.EqualTo(Range(24, i => i / 8.0)));
    }

    [Test]
    public void IntegerTensorsAreListedAsSkippedWithTheirDType()
    {
        using var source = ModelSources.Open(Fixture("state_dict.pt"));

        var signature = SpectralEngine.Compute(source, new SignatureOptions { Selection = new TensorSelection { MinDimension = 2 } });

        Assert.That(signature.Skipped.Single(s => s.Name == "steps").Reason, Does.Contain("int64"));
        Assert.That(signature.Layers.Select(l => l.Name), Does.Contain("tied.weight").And.Contain("bf16.weight"));
    }

    [Test]
    public void ALegacyTorchSaveFileIsRefusedClearly()
    {
        var e = Assert.Throws<ModelFormatException>(() => ModelSources.Open(Fixture("legacy.pt")))!;

        Assert.That(e.Message, Does.StartWith(Fixture("legacy.pt")).And.Contain("legacy torch.save"));
    }

    [Test]
    public void AWholeModulePickleIsRefusedAsAskingToRunCode()
    {
        var e = Assert.Throws<ModelFormatException>(() => ModelSources.Open(Fixture("whole_module.pt")))!;

        Assert.That(e.Message, Does.StartWith(Fixture("whole_module.pt")).And.Contain("asks to run code").And.Contain("'__main__.Net'"));
    }

    [Test]
    public void ACheckpointHasTheSignatureOfItsSafetensorsTwin()
    {
        var rng = new Random(11);
        float[] a = Range(48 * 32, _ => rng.NextDouble() - 0.5).Select(v => (float)v).ToArray();
        float[] b = Range(40 * 24, _ => rng.NextDouble() - 0.5).Select(v => (float)v).ToArray();
        var sa = Float32("0", a);
        var sb = Float32("1", b);
        string pt = Write(Scratch("pytorch_model.bin"),
        [
            new("encoder", new List<KeyValuePair<string, object>> { new("a.weight", Contiguous(sa, 48, 32)) }),
            new("b.weight", Contiguous(sb, 40, 24)),
            new("b_t.weight", new View(sb, 0, [24, 40], [1, 24])),
        ], [sa, sb]);
        float[] bt = Range(24 * 40, i => b[(i % 40) * 24 + i / 40]).Select(v => (float)v).ToArray();
        string twin = Scratch("model.safetensors");
        SafetensorsWriter.Write(twin,
        [
            SafetensorsWriter.Float32("encoder.a.weight", [48, 32], a),
            SafetensorsWriter.Float32("b.weight", [40, 24], b),
            SafetensorsWriter.Float32("b_t.weight", [24, 40], bt),
        ]);

        SpectralSignature fromPt, fromTwin;
        using (var s = ModelSources.Open(pt)) fromPt = SpectralEngine.Compute(s, new SignatureOptions());
        using (var s = ModelSources.Open(twin)) fromTwin = SpectralEngine.Compute(s, new SignatureOptions());

        Assert.That(fromPt.Model.Format, Is.EqualTo("pytorch"));
        Assert.That(fromPt.Layers.Select(l => l.Name), Is.EqualTo(fromTwin.Layers.Select(l => l.Name)));
        for (int i = 0; i < fromTwin.Layers.Count; i++)
            Assert.That(fromPt.Layers[i].Metrics, Is.EqualTo(fromTwin.Layers[i].Metrics), fromTwin.Layers[i].Name);
    }

    [Test]
    public void AShardedCheckpointIsReadThroughItsIndex()
    {
        string folder = TestPaths.NewScratchFolder();
        var s0 = Float32("0", Range(64, i => i).Select(v => (float)v).ToArray());
        var s1 = Float32("0", Range(64, i => -i).Select(v => (float)v).ToArray());
        Write(Path.Combine(folder, "pytorch_model-00001-of-00002.bin"), [new("a.weight", Contiguous(s0, 8, 8))], [s0]);
        Write(Path.Combine(folder, "pytorch_model-00002-of-00002.bin"), [new("b.weight", Contiguous(s1, 8, 8))], [s1]);
        string index = Path.Combine(folder, "pytorch_model.bin.index.json");
        File.WriteAllText(index, """{"metadata": {}, "weight_map": {"a.weight": "pytorch_model-00001-of-00002.bin", "b.weight": "pytorch_model-00002-of-00002.bin"}}""");

        using var source = ModelSources.Open(index);
        var entries = source.Tensors.ToList();

        Assert.That(source, Is.InstanceOf<PyTorchShardedSource>());
        Assert.That(entries.Select(e => e.Name), Is.EqualTo(new[] { "a.weight", "b.weight" }));
        Assert.That(Values(entries[1]), Is.EqualTo(Range(64, i => -i)));
    }

    private static IEnumerable<TestCaseData> HostilePickles()
    {
        var storage = Float32("0", new float[4]);
        yield return new TestCaseData(new PickleBuilder().Global("os", "system").Str("echo pwned").Op('\u0085').Op('R').Stop(), "asks to run code: its pickle imports 'os.system'").SetName("HostilePickle(os.system)");
        yield return new TestCaseData(new PickleBuilder().Global("builtins", "eval").Str("1").Op('\u0085').Op('R').Stop(), "imports 'builtins.eval'").SetName("HostilePickle(builtins.eval)");
        yield return new TestCaseData(new PickleBuilder().Raw((byte)0x8c, 5).Raw("posix"u8.ToArray()).Raw((byte)0x8c, 6).Raw("system"u8.ToArray()).Raw(0x93).Stop(), "imports 'posix.system'").SetName("HostilePickle(STACK_GLOBAL posix.system)");
        yield return new TestCaseData(new PickleBuilder().Global("torch", "FloatStorage").Op(')').Op('R').Stop(), "calls 'torch.FloatStorage' with REDUCE").SetName("HostilePickle(REDUCE of a storage class)");
        yield return new TestCaseData(new PickleBuilder().Global("collections", "OrderedDict").Op(')').Op('\u0081').Stop(), "NEWOBJ").SetName("HostilePickle(NEWOBJ)");
        yield return new TestCaseData(new PickleBuilder().Op('(').Raw((byte)'i').Raw("os\nsystem\n"u8.ToArray()).Stop(), "INST").SetName("HostilePickle(INST)");
        yield return new TestCaseData(new PickleBuilder().Op('}').Op('j').Raw(0xff, 0xff, 0xff, 0xff).Stop(), "memo index 4294967295 was never stored").SetName("HostilePickle(huge memo index)");
        yield return new TestCaseData(new PickleBuilder().Op('}').Str("x").Stop()[..^2], "truncated").SetName("HostilePickle(truncated)");
        yield return new TestCaseData(new PickleBuilder().Op('}').Op('X').Raw(0xff, 0xff, 0xff, 0x7f).Stop(), "truncated").SetName("HostilePickle(string past end)");
        yield return new TestCaseData(new PickleBuilder().Op('}').Op('0').Op('0').Stop(), "stack underflow").SetName("HostilePickle(stack underflow)");
        yield return new TestCaseData(Pickle([new("w", new View(storage, 2, [2, 2], [2, 1]))]), "reaches element 5 of a storage of 4").SetName("HostilePickle(view past its storage)");
        yield return new TestCaseData(Pickle([new("w", Contiguous(Float32("9", new float[4]), 2, 2))]), "no entry").SetName("HostilePickle(missing storage entry)");
        yield return new TestCaseData(Pickle([new("w", new View(storage, 0, [1L << 40, 1L << 40], [1, 1]))]), "overflow").SetName("HostilePickle(shape overflow)");
    }

    [TestCaseSource(nameof(HostilePickles))]
    public void HostilePicklesAreRefusedWithoutRunningAnything(byte[] pickle, string problem)
    {
        string path = WriteRaw(Scratch("pytorch_model.bin"), pickle, [Float32("0", new float[4])]);

        var e = Assert.Throws<ModelFormatException>(() => { using var s = ModelSources.Open(path); })!;

        Assert.That(e.FilePath, Is.EqualTo(path));
        Assert.That(e.Message, Does.Contain(problem));
    }

    [Test]
    public void TheCliRefusesAPickleThatImportsOsSystemWithExitCodeTwo()
    {
        string path = WriteRaw(Scratch("pytorch_model.bin"), new PickleBuilder().Global("os", "system").Str("touch pwned").Op('\u0085').Op('R').Stop(), []);

        var r = SpectralGate.Tests.Support.CliRunner.Run("inspect", path);

        Assert.That(r.ExitCode, Is.EqualTo(2));
        Assert.That(r.Error, Does.StartWith($"error: {path}: asks to run code").And.Contain("'os.system'").And.Not.Contain("   at "));
        Assert.That(File.Exists(Path.Combine(Path.GetDirectoryName(path)!, "pwned")), Is.False);
    }
}
