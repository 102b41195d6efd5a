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

    public IEnumerable<TensorEntry> Tensors
    {
        get
        {
            var types = ModuleTypesByParameter();
            return module.named_parameters().Select(p => (TensorEntry)new Entry(p.name, p.parameter, types.GetValueOrDefault(p.name, [])));
        }
    }

    /// <summary>Each parameter's enclosing module classes below the root, outermost first (see <see cref="TensorEntry.ModuleTypes"/>).</summary>
    private Dictionary<string, IReadOnlyList<string>> ModuleTypesByParameter()
    {
        var typeOf = module.named_modules().Where(m => m.name.Length > 0).ToDictionary(m => m.name, m => m.module.GetType().Name, StringComparer.Ordinal);
        var result = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var (name, _) in module.named_parameters())
        {
            string[] parts = name.Split('.');
            var chain = new List<string>();
            for (int i = 1; i < parts.Length; i++)
                if (typeOf.TryGetValue(string.Join('.', parts[..i]), out string? type)) chain.Add(type);
            result[name] = chain;
        }
        return result;
    }

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

    private sealed class Entry(string name, torch.Tensor parameter, IReadOnlyList<string> moduleTypes)
        : TensorEntry(name, parameter.shape, Map(parameter.dtype), parameter.dtype.ToString())
    {
        public override IReadOnlyList<string> ModuleTypes => moduleTypes;

        public override torch.Tensor Load(torch.Device device, torch.ScalarType computeType) =>
            parameter.detach().to(computeType, device, copy: true);
    }
}
