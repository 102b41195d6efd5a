using SpectralGate.Engine.Errors;
using SpectralGate.Engine.Sources;
using TorchSharp;

namespace SpectralGate.Engine.Tests.Sources;

/// <summary>The read stage alone: a tensor onto the device, and each kind of failure told apart with the file and tensor named.</summary>
public class TensorReaderTests
{
    private sealed class OneTensorSource(TensorEntry entry) : ITensorSource
    {
        public string Description => "model.safetensors";
        public string Format => "safetensors";
        public IEnumerable<TensorEntry> Tensors => [entry];
        public string ComputeSha256() => new('0', 64);
        public void Dispose() { }
    }

    private static torch.Tensor Read(TensorEntry entry, torch.ScalarType type = torch.ScalarType.Float64) =>
        TensorReader.Read(new OneTensorSource(entry), entry, torch.CPU, type);

    [Test]
    public void ATensorIsReadInTheComputeType()
    {
        using var data = torch.tensor(new float[] { 1.5f, -2, 0.25f, 3 }).reshape(2, 2);

        using var read = Read(InMemoryEntry.Of("fc.weight", data));

        Assert.That(read.dtype, Is.EqualTo(torch.ScalarType.Float64));
        Assert.That(read.data<double>().ToArray(), Is.EqualTo(new[] { 1.5, -2, 0.25, 3 }));
    }

    [Test]
    public void ADecodingFailureIsAnUnreadableModelNamingFileAndTensor()
    {
        var entry = new InMemoryEntry("fc.weight", [4, 4], () => throw new InvalidDataException("bad bytes"));

        var e = Assert.Throws<ModelFormatException>(() => Read(entry));

        Assert.That((e!.FilePath, e.Layer, e.Problem), Is.EqualTo(("model.safetensors", "fc.weight", "cannot be read: bad bytes")));
    }

    [Test]
    public void AnAllocationFailureIsTheMachinesTroubleNotTheFiles()
    {
        var entry = new InMemoryEntry("fc.weight", [4, 4], () => throw new OutOfMemoryException("no room"));

        var e = Assert.Throws<MemoryExhaustedException>(() => Read(entry));

        Assert.That(e!.Layer, Is.EqualTo("fc.weight"));
        Assert.That(e.Problem, Does.StartWith("out of memory computing its spectrum (no room)"));
    }

    [Test]
    public void ASpectralGateErrorOfTheSourcePassesUnwrapped()
    {
        var own = new ModelFormatException("model.safetensors", "fc.weight", "declares 17 bytes, holds 16");
        var entry = new InMemoryEntry("fc.weight", [4, 4], () => throw own);

        Assert.That(Assert.Throws<ModelFormatException>(() => Read(entry)), Is.SameAs(own));
    }

    [TestCase(double.NaN, false)]
    [TestCase(double.PositiveInfinity, false)]
    [TestCase(double.NegativeInfinity, false)]
    [TestCase(-1e300, true)]
    public void OneNonFiniteElementMakesTheTensorNonFinite(double element, bool finite)
    {
        using var t = torch.tensor(new[] { 1.0, 2, element, 4 });

        Assert.That(TensorReader.IsFinite(t), Is.EqualTo(finite));
    }

    // The check reads the extremes: a NaN must win in every lane of the vectorised reduction, in float32 as in float64.
    [Test]
    public void ANaNAnywhereInALongFloat32TensorIsFound([Values(0, 1, 15, 16, 17, 4093, 4095)] int position)
    {
        var values = Enumerable.Range(0, 4096).Select(i => (float)Math.Sin(i)).ToArray();
        values[position] = float.NaN;
        using var t = torch.tensor(values).reshape(64, 64);

        Assert.That(TensorReader.IsFinite(t), Is.False);
    }

    [Test]
    public void FiniteExtremesAndAnEmptyTensorAreFinite()
    {
        using var extremes = torch.tensor(new[] { float.MaxValue, -float.MaxValue, float.Epsilon });
        using var empty = torch.empty(new long[] { 0, 8 });

        Assert.That((TensorReader.IsFinite(extremes), TensorReader.IsFinite(empty)), Is.EqualTo((true, true)));
    }
}
