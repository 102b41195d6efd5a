using System.Security.Cryptography;
using System.Text;
using SpectralGate.Engine.Sources;
using TorchSharp;

namespace SpectralGate.Engine.Training;

/// <summary>
/// The selected parameters of a live module copied out at one step (CPU, their own dtype, no autograd), so training goes
/// on while they are analysed. A tensor source like <see cref="Sources.TorchSharp.ModuleSource"/>: the same names, shapes,
/// dtypes and module classes, so <see cref="Signatures.SpectralEngine"/> gives the layers a checkpoint of these weights gives.
/// </summary>
public sealed class WeightSnapshot : ITensorSource
{
    private readonly List<Entry> _entries;

    private WeightSnapshot(string description, List<Entry> entries)
    {
        Description = description;
        _entries = entries;
    }

    /// <summary>Copies <paramref name="parameters"/> (entries of a <see cref="Sources.TorchSharp.ModuleSource"/>) under <c>no_grad</c>.</summary>
    public static WeightSnapshot Copy(string description, IEnumerable<TensorEntry> parameters)
    {
        var entries = new List<Entry>();
        using (torch.no_grad())
            foreach (TensorEntry parameter in parameters)
            {
                var copy = parameter.Load(torch.CPU, ComputeTypeOf(parameter.DType));
                copy.DetachFromDisposeScope(); // owned by the snapshot, whatever scope the training loop has open
                entries.Add(new Entry(parameter, copy));
            }
        return new WeightSnapshot(description, entries);
    }

    public string Description { get; }

    /// <summary>Same as a live module's, so the planner treats the copy as it treats the module.</summary>
    public string Format => "module";

    public IEnumerable<TensorEntry> Tensors => _entries;

    /// <summary>The copied values of a tensor (CPU, its dtype); owned by the snapshot.</summary>
    public torch.Tensor Values(string name) => _entries.First(e => e.Name == name).Copy;

    /// <summary>Bytes held (what the monitor keeps per snapshot, docs/training.md "Memory").</summary>
    public long Bytes => _entries.Sum(e => e.Copy.NumberOfElements * e.Copy.ElementSize);

    public string ComputeSha256()
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var entry in _entries)
        {
            hash.AppendData(Encoding.UTF8.GetBytes($"{entry.Name}\n{entry.Copy.dtype}\n{string.Join(",", entry.Shape)}\n"));
            using var contiguous = entry.Copy.contiguous();
            hash.AppendData(contiguous.bytes);
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    public void Dispose()
    {
        foreach (var entry in _entries) entry.Copy.Dispose();
    }

    private static torch.ScalarType ComputeTypeOf(TensorDType dtype) => dtype switch
    {
        TensorDType.Float64 => torch.ScalarType.Float64,
        TensorDType.Float16 => torch.ScalarType.Float16,
        TensorDType.BFloat16 => torch.ScalarType.BFloat16,
        _ => torch.ScalarType.Float32,
    };

    private sealed class Entry(TensorEntry parameter, torch.Tensor copy) : TensorEntry(parameter.Name, parameter.Shape, parameter.DType, parameter.StoredDType)
    {
        public torch.Tensor Copy { get; } = copy;

        public override IReadOnlyList<string> ModuleTypes { get; } = parameter.ModuleTypes;

        public override torch.Tensor Load(torch.Device device, torch.ScalarType computeType) => Copy.to(computeType, device, copy: true);
    }
}
