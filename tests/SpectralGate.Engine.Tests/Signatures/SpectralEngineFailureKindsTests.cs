using SpectralGate.Engine.Errors;
using SpectralGate.Engine.Gate;
using SpectralGate.Engine.Signatures;
using SpectralGate.Engine.Sources;
using TorchSharp;

namespace SpectralGate.Engine.Tests.Signatures;

/// <summary>
/// The engine tells the machine's trouble (memory, device) from a bad file, so the gate gives each its own code
/// instead of calling everything "cannot be read" (SG1004).
/// </summary>
public class SpectralEngineFailureKindsTests
{
    /// <summary>A one-tensor source whose data asks libtorch for more memory than any machine has.</summary>
    private sealed class HugeAllocationSource : ITensorSource
    {
        private sealed class Entry() : TensorEntry("huge.weight", [1L << 24, 1L << 24], TensorDType.Float32, "F32")
        {
            public override torch.Tensor Load(torch.Device device, torch.ScalarType computeType) =>
                torch.empty([1L << 24, 1L << 24], computeType, device); // 2^48 elements: 2 PiB in float64
        }

        public string Description => "huge.safetensors";
        public string Format => "safetensors";
        public IEnumerable<TensorEntry> Tensors => [new Entry()];
        public string ComputeSha256() => new string('0', 64);
        public void Dispose() { }
    }

    [Test]
    public void AnAllocationLibtorchCannotMakeIsOutOfMemoryNotAnUnreadableModel()
    {
        using var source = new HugeAllocationSource();

        var e = Assert.Throws<MemoryExhaustedException>(() => SpectralEngine.Compute(source));

        Assert.That(e!.Layer, Is.EqualTo("huge.weight"));
        Assert.That(e.Problem, Does.StartWith("out of memory"));
        Assert.That(GateCheck.DiagnosticFor(e, "huge.safetensors").Code, Is.EqualTo(GateCodes.OutOfMemory));
    }

    [Test]
    public void CudaWithoutACudaRuntimeIsDeviceUnavailable()
    {
        using var source = new HugeAllocationSource();

        var e = Assert.Throws<DeviceUnavailableException>(() => SpectralEngine.Compute(source, new SignatureOptions { Device = "cuda:1" }));

        Assert.That(e!.FilePath, Is.EqualTo("huge.safetensors"));
        Assert.That(GateCheck.DiagnosticFor(e, "huge.safetensors").Code, Is.EqualTo(GateCodes.DeviceUnavailable));
    }

    [Test]
    public void EachEngineFailureHasItsOwnGateCode()
    {
        var codes = new SpectralGateException[]
        {
            new ModelFormatException("m", "w", "truncated"),
            new SpectrumComputationException("m", "w", "the eigensolver did not converge"),
            new MemoryExhaustedException("m", "w", "out of memory"),
            new DeviceUnavailableException("m", "cuda", "no CUDA"),
        }.Select(e => GateCheck.DiagnosticFor(e, "m").Code);

        Assert.That(codes, Is.EqualTo(new[] { GateCodes.UnreadableModel, GateCodes.EigensolverFailure, GateCodes.OutOfMemory, GateCodes.DeviceUnavailable }));
    }
}
