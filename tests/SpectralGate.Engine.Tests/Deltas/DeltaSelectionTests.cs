using SpectralGate.Engine.Deltas;
using SpectralGate.Engine.Errors;
using SpectralGate.Engine.Signatures;
using SpectralGate.Engine.Sources;
using SpectralGate.Engine.Sources.Safetensors;
using SpectralGate.Engine.Tests.Sources;
using SpectralGate.Tests.Support;
using static TorchSharp.torch;

namespace SpectralGate.Engine.Tests.Deltas;

/// <summary>
/// Deltas and adapter signatures refuse what a signature refuses: an include glob that matches nothing and a selection
/// that leaves nothing are errors (SG1014), never an empty pass; a machine out of memory is not a bad file.
/// </summary>
public class DeltaSelectionTests
{
    private static string Checkpoint() => DeltaFixtures.Checkpoint(("q.weight", DeltaFixtures.Gaussian(32, 24, seed: 1)), ("k.weight", DeltaFixtures.Gaussian(32, 24, seed: 2)));

    private static DeltaSignature Delta(DeltaOptions options)
    {
        string model = Checkpoint();
        using var baseSource = new SafetensorsFileSource(model);
        using var tuned = new SafetensorsFileSource(model);
        return DeltaEngine.Compute(baseSource, tuned, options);
    }

    [Test]
    public void ADeltaIncludeGlobThatMatchesNoTensorIsAnErrorNamingIt()
    {
        var e = Assert.Throws<NothingAnalysedException>(() => Delta(new DeltaOptions { Selection = new TensorSelection { Include = ["q.weight", "v_proj.*"] } }));

        Assert.That(e!.Problem, Does.Contain("'v_proj.*'").And.Not.Contain("'q.weight'"));
    }

    [Test]
    public void ADeltaThatComparesNothingIsAnError()
    {
        var e = Assert.Throws<NothingAnalysedException>(() => Delta(new DeltaOptions { Selection = new TensorSelection { Exclude = ["*.weight"] } }));

        Assert.That(e!.Problem, Does.StartWith("nothing compared"));
    }

    [Test]
    public void AnAdapterIncludeGlobThatMatchesNoModuleIsAnError()
    {
        string folder = DeltaFixtures.WriteAdapter(r: 4, alpha: 8, rslora: false, ("model.layers.0.self_attn.q_proj.weight", 32, 24));
        using var adapter = LoraAdapter.Open(folder);

        var typo = Assert.Throws<NothingAnalysedException>(() => AdapterSpectra.Compute(adapter, new SignatureOptions { Selection = new TensorSelection { Include = ["*.k_proj.weight"] } }));
        var none = Assert.Throws<NothingAnalysedException>(() => AdapterSpectra.Compute(adapter, new SignatureOptions { Selection = new TensorSelection { Exclude = ["**"] } }));

        Assert.That(typo!.Problem, Does.Contain("'*.k_proj.weight'"));
        Assert.That(none!.Problem, Does.Contain("1 x excluded"));
    }

    private sealed class OneTensorSource(TensorEntry entry) : ITensorSource
    {
        public string Description => "tuned.safetensors";
        public string Format => "safetensors";
        public IEnumerable<TensorEntry> Tensors => [entry];
        public string ComputeSha256() => new('0', 64);
        public void Dispose() { }
    }

    /// <summary>A tensor a source cannot decode, whose reason happens to read like a selection skip.</summary>
    private sealed class UndecodableEntry(string name, string reason) : TensorEntry(name, [16, 16], TensorDType.Float32, "F32")
    {
        public override string? UndecodableReason => reason;

        public override Tensor Load(Device device, ScalarType computeType) => throw new NotSupportedException(reason);
    }

    private sealed class TensorsSource(params TensorEntry[] entries) : ITensorSource
    {
        public string Description => "model.safetensors";
        public string Format => "safetensors";
        public IEnumerable<TensorEntry> Tensors => entries;
        public string ComputeSha256() => new('0', 64);
        public void Dispose() { }
    }

    /// <summary>
    /// What is skipped is decided on the skip's kind, never on its words: an undecodable tensor whose reason reads
    /// "excluded" or "not included" (the words of the selection's own skips) is listed like any other undecodable one,
    /// and the user's selection still leaves tensors out unlisted.
    /// </summary>
    [TestCase("excluded")]
    [TestCase("not included")]
    [TestCase("an unknown quantization")]
    public void ASkipIsListedByItsKindWhateverItsWords(string reason)
    {
        using var data = DeltaFixtures.Gaussian(32, 24, seed: 4);
        using var baseSource = new TensorsSource(InMemoryEntry.Of("q.weight", data), new UndecodableEntry("odd.weight", reason), InMemoryEntry.Of("k.weight", data));
        using var tuned = new TensorsSource(InMemoryEntry.Of("q.weight", data), new UndecodableEntry("odd.weight", reason), InMemoryEntry.Of("k.weight", data));

        var delta = DeltaEngine.Compute(baseSource, tuned, new DeltaOptions { Selection = new TensorSelection { Exclude = ["k.*"] } });

        Assert.Multiple(() =>
        {
            Assert.That(delta.Layers.Select(l => l.Name), Is.EqualTo(new[] { "q.weight" }));
            Assert.That(delta.Skipped.Select(t => (t.Name, t.Reason)), Is.EqualTo(new[] { ("odd.weight", reason) }));
            Assert.That(delta.OnlyInBase, Is.Empty);
            Assert.That(delta.OnlyInTuned, Is.Empty);
        });
    }

    [Test]
    public void RunningOutOfMemoryReadingADeltaLayerIsTheMachinesTroubleNotTheFiles()
    {
        using var data = DeltaFixtures.Gaussian(32, 24, seed: 3);
        using var baseSource = new OneTensorSource(InMemoryEntry.Of("q.weight", data));
        using var tuned = new OneTensorSource(new InMemoryEntry("q.weight", [32, 24], () => throw new OutOfMemoryException("no room")));

        var e = Assert.Throws<MemoryExhaustedException>(() => DeltaEngine.Compute(baseSource, tuned));

        Assert.That(e!.Layer, Is.EqualTo("q.weight"));
    }
}
