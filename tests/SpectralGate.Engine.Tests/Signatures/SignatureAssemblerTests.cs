using SpectralGate.Engine.Errors;
using SpectralGate.Engine.Matrices;
using SpectralGate.Engine.Signatures;
using SpectralGate.Engine.Sources;
using SpectralGate.Engine.Tests.Sources;

namespace SpectralGate.Engine.Tests.Signatures;

/// <summary>The assemble stage alone: what a signature holds, in which order, and when it refuses to be built.</summary>
public class SignatureAssemblerTests
{
    private sealed class CountingSource : ITensorSource
    {
        public int Hashes { get; private set; }
        public string Description => "model.safetensors";
        public string Format => "safetensors";
        public IEnumerable<TensorEntry> Tensors => [];
        public string ComputeSha256() { Hashes++; return new('a', 64); }
        public void Dispose() { }
    }

    private static readonly IReadOnlyDictionary<string, string> Settings = new SortedDictionary<string, string> { ["precision"] = "float64" };

    private static LayerSignature Layer(string name) =>
        new() { Name = name, Shape = [8, 8], Kind = LayerKind.Linear, Metrics = new Dictionary<string, double?>(), Labels = [] };

    [Test]
    public void LayersAndListedSkipsComeInNaturalOrderAndEveryTensorCounts()
    {
        var assembler = new SignatureAssembler();
        foreach (var name in new[] { "layers.10.weight", "layers.2.weight", "layers.2.bias", "head.weight" })
            assembler.Saw(new InMemoryEntry(name, [8, 8]));
        assembler.Add(Layer("layers.10.weight"));
        assembler.Add(Layer("layers.2.weight"));
        assembler.Skip(new InMemoryEntry("layers.2.bias", [8]), new TensorSkip(SkipKind.NotAMatrix, "1-D tensor"));
        assembler.Skip(new InMemoryEntry("head.weight", [8, 8]), new TensorSkip(SkipKind.Excluded, "excluded"));

        var signature = assembler.Build(new CountingSource(), Settings, partial: false, knownSha256: null);

        Assert.That(signature.Layers.Select(l => l.Name), Is.EqualTo(new[] { "layers.2.weight", "layers.10.weight" }));
        Assert.That(signature.Skipped, Has.Count.EqualTo(1));
        Assert.That((signature.Skipped[0].Name, signature.Skipped[0].Reason), Is.EqualTo(("layers.2.bias", "1-D tensor")));
        Assert.That(signature.Model.ParameterCount, Is.EqualTo(4 * 64));
        Assert.That(signature.Settings, Is.SameAs(Settings));
    }

    [Test]
    public void ASignatureOfNothingIsRefusedWithTheReasonsCountedAndNoHashTaken()
    {
        var assembler = new SignatureAssembler();
        var source = new CountingSource();
        foreach (var name in new[] { "a", "b", "c" })
        {
            var entry = new InMemoryEntry(name, [8]);
            assembler.Saw(entry);
            assembler.Skip(entry, name == "c" ? new TensorSkip(SkipKind.Excluded, "excluded") : new TensorSkip(SkipKind.NotAMatrix, "1-D tensor"));
        }

        var e = Assert.Throws<NothingAnalysedException>(() => assembler.Build(source, Settings, partial: false, knownSha256: null));

        Assert.That(e!.Problem, Does.Contain("0 layers from 3 tensors, all skipped (2 x 1-D tensor; 1 x excluded)"));
        Assert.That(source.Hashes, Is.Zero);
    }

    [Test]
    public void APartialSignatureMayBeEmptyAndAKnownHashIsReused()
    {
        var source = new CountingSource();

        var signature = new SignatureAssembler().Build(source, Settings, partial: true, knownSha256: new string('b', 64));

        Assert.That(signature.Layers, Is.Empty);
        Assert.That(signature.Model.Sha256, Is.EqualTo(new string('b', 64)));
        Assert.That(source.Hashes, Is.Zero);
    }

    [Test]
    public void ANonFiniteTensorIsALabelledLayerWithoutMetrics()
    {
        var layer = SignatureAssembler.NonFinite(new InMemoryEntry("conv.weight", [8, 4, 3, 3]), LayerKind.Conv);

        Assert.That((layer.Kind, layer.Metrics.Count, layer.Labels.Single()), Is.EqualTo((LayerKind.Conv, 0, "non_finite")));
    }
}
