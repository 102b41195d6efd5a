using System.Security.Cryptography;
using System.Text;
using TorchSharp;

namespace SpectralGate.Engine.Sources.TorchSharp;

/// <summary>
/// A live TorchSharp module: its <c>named_parameters()</c>, in registration order. Loading copies a parameter
/// (detached, converted) so the analysis never touches the model's own tensors.
/// </summary>
public sealed class ModuleSource(torch.nn.Module module, string? description = null) : ITensorSource
{
    public string Description { get; } = description ?? $"module:{module.GetName()}";

    public string Format => "module";

    public IEnumerable<TensorEntry> Tensors =>
        module.named_parameters().Select(p => (TensorEntry)new Entry(p.name, p.parameter));

    /// <summary>SHA-256 over, per parameter in order: name, dtype, shape and the raw bytes of its values.</summary>
    public string ComputeSha256()
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var (name, parameter) in module.named_parameters())
        {
            hash.AppendData(Encoding.UTF8.GetBytes($"{name}\n{parameter.dtype}\n{string.Join(",", parameter.shape)}\n"));
            using var cpu = parameter.detach().cpu().contiguous();
            hash.AppendData(cpu.bytes);
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    public void Dispose()
    {
    }

    private static TensorDType Map(torch.ScalarType type) => type switch
    {
        torch.ScalarType.Float64 => TensorDType.Float64,
        torch.ScalarType.Float32 => TensorDType.Float32,
        torch.ScalarType.Float16 => TensorDType.Float16,
        torch.ScalarType.BFloat16 => TensorDType.BFloat16,
        _ => TensorDType.Unsupported,
    };

    private sealed class Entry(string name, torch.Tensor parameter)
        : TensorEntry(name, parameter.shape, Map(parameter.dtype), parameter.dtype.ToString())
    {
        public override torch.Tensor Load(torch.Device device, torch.ScalarType computeType) =>
            parameter.detach().to(computeType, device, copy: true);
    }
}
