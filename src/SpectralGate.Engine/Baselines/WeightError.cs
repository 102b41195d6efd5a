using System.Text.RegularExpressions;
using SpectralGate.Engine.Sources;
using TorchSharp;

namespace SpectralGate.Engine.Baselines;

/// <summary>
/// How far a layer's weights moved between two models, as llama.cpp's <c>quantize-stats</c> reports a quantization
/// (examples/quantize-stats: <c>rmse</c>, <c>maxerr</c>), plus the error relative to the weight: ‖W_q − W‖_F / ‖W‖_F,
/// RMSE = ‖W_q − W‖_F / √n, and max |W_q − W|. Computed in float64 from both models' decoded tensors, one layer at a time.
/// </summary>
public sealed partial record WeightError(double RelativeFrobenius, double Rmse, double MaxAbs)
{
    [GeneratedRegex(@"^(.*)\[(\d+)\]$", RegexOptions.CultureInvariant)]
    private static partial Regex ExpertName();

    /// <summary>
    /// The error of each of <paramref name="layers"/> (signature layer names; <c>name[e]</c> is expert e of a fused
    /// tensor) that both sources hold with the same shape; the others are absent from the result.
    /// </summary>
    public static IReadOnlyDictionary<string, WeightError> Compute(ITensorSource reference, ITensorSource compared, IEnumerable<string> layers, CancellationToken cancellationToken = default)
    {
        var referenceEntries = new Dictionary<string, TensorEntry>(StringComparer.Ordinal);
        foreach (var e in reference.Tensors) referenceEntries.TryAdd(e.Name, e);
        var comparedEntries = new Dictionary<string, TensorEntry>(StringComparer.Ordinal);
        foreach (var e in compared.Tensors) comparedEntries.TryAdd(e.Name, e);
        var result = new Dictionary<string, WeightError>(StringComparer.Ordinal);
        foreach (string layer in layers)
        {
            cancellationToken.ThrowIfCancellationRequested();
            string tensor = layer;
            long? expert = null;
            if (!referenceEntries.ContainsKey(tensor) && ExpertName().Match(layer) is { Success: true } m)
            {
                tensor = m.Groups[1].Value;
                expert = long.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture);
            }
            if (!referenceEntries.TryGetValue(tensor, out var r) || !comparedEntries.TryGetValue(tensor, out var c) || !r.Shape.SequenceEqual(c.Shape)) continue;
            using var scope = torch.NewDisposeScope();
            var w = TensorReader.Read(reference, r, torch.CPU, torch.ScalarType.Float64);
            var q = TensorReader.Read(compared, c, torch.CPU, torch.ScalarType.Float64);
            if (expert is long e)
            {
                if (w.dim() < 1 || e >= w.shape[0]) continue;
                w = w[e];
                q = q[e];
            }
            result[layer] = Of(w, q);
        }
        return result;
    }

    /// <summary>
    /// The error of <paramref name="compared"/> against <paramref name="reference"/> (same shape), summed in one
    /// sequential pass so the figures do not depend on libtorch's thread count.
    /// </summary>
    public static WeightError Of(torch.Tensor reference, torch.Tensor compared)
    {
        const long Chunk = 1 << 24; // values per span (128 MiB of float64), under a span's int length
        using var scope = torch.NewDisposeScope();
        var w = reference.to_type(torch.ScalarType.Float64).cpu().contiguous().flatten();
        var q = compared.to_type(torch.ScalarType.Float64).cpu().contiguous().flatten();
        long n = w.numel();
        if (q.numel() != n) throw new ArgumentException($"tensors of {n} and {q.numel()} values are compared.");
        double squared = 0, norm = 0, max = 0;
        for (long start = 0; start < n; start += Chunk)
        {
            long count = Math.Min(Chunk, n - start);
            using var wc = w.narrow(0, start, count);
            using var qc = q.narrow(0, start, count);
            ReadOnlySpan<double> pw = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, double>(wc.bytes);
            ReadOnlySpan<double> pq = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, double>(qc.bytes);
            for (int i = 0; i < pw.Length; i++)
            {
                double d = pq[i] - pw[i];
                squared += d * d;
                norm += pw[i] * pw[i];
                max = Math.Max(max, Math.Abs(d));
            }
        }
        return new WeightError(norm > 0 ? Math.Sqrt(squared / norm) : squared == 0 ? 0 : double.PositiveInfinity, n == 0 ? 0 : Math.Sqrt(squared / n), max);
    }
}
