using System.IO.Hashing;
using System.Text;
using TorchSharp;

namespace SpectralGate.Engine.Spectra;

/// <summary>
/// WeightWatcher's <c>randomize</c> made deterministic: every matrix of a layer has its elements shuffled by a
/// Fisher–Yates (Durstenfeld) shuffle, i from n−1 down to 1 swapping element i with element
/// <c>SplitMix64.Next() mod (i+1)</c>, one SplitMix64 stream per layer seeded with the XxHash64 (seed 0) of the layer's
/// UTF-8 name, matrices in batch order. The same layer name gives the same permutation on any machine.
/// </summary>
public static class ElementPermutation
{
    public static ulong SeedOf(string layerName) => XxHash64.HashToUInt64(Encoding.UTF8.GetBytes(layerName));

    /// <summary>Shuffles <paramref name="values"/> in place with the next numbers of <paramref name="random"/>.</summary>
    public static void Shuffle(Span<double> values, ref SplitMix64 random)
    {
        for (int i = values.Length - 1; i > 0; i--)
        {
            int j = (int)(random.Next() % (ulong)(i + 1));
            (values[i], values[j]) = (values[j], values[i]);
        }
    }

    /// <summary>A copy of <paramref name="batch"/> <c>[count, r, c]</c> (same dtype and device) with each matrix's elements shuffled.</summary>
    public static torch.Tensor Permute(torch.Tensor batch, string layerName)
    {
        var random = new SplitMix64(SeedOf(layerName));
        long count = batch.shape[0], r = batch.shape[1], c = batch.shape[2];
        var matrices = new torch.Tensor[count];
        using var scope = torch.NewDisposeScope();
        for (long k = 0; k < count; k++)
        {
            double[] values = batch[k].to(torch.ScalarType.Float64).cpu().contiguous().data<double>().ToArray();
            Shuffle(values, ref random);
            matrices[k] = torch.tensor(values, [r, c], torch.ScalarType.Float64).to(batch.dtype);
        }
        return torch.stack(matrices).to(batch.device).MoveToOuterDisposeScope();
    }
}
