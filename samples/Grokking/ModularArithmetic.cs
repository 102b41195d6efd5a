using TorchSharp;
using static TorchSharp.torch;

namespace Grokking;

/// <summary>
/// The task of the grokking papers (Power et al. 2022): every pair (a, b) of residues mod p labelled with a ∘ b mod p,
/// split once into a training part and a held-out part by a seeded permutation, so a seed names the split.
/// </summary>
public sealed class ModularArithmetic : IDisposable
{
    public ModularArithmetic(int modulus, ModularOperation operation, double trainFraction, long splitSeed)
    {
        if (modulus < 2) throw new ArgumentOutOfRangeException(nameof(modulus), modulus, "the modulus must be at least 2");
        if (trainFraction is <= 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(trainFraction), trainFraction, "the train fraction must be in (0, 1)");
        Modulus = modulus;
        int pairs = modulus * modulus;
        var a = arange(pairs, dtype: ScalarType.Int64).div(modulus, rounding_mode: RoundingMode.floor);
        var b = arange(pairs, dtype: ScalarType.Int64).remainder(modulus);
        var labels = operation switch
        {
            ModularOperation.Add => (a + b).remainder(modulus),
            ModularOperation.Subtract => (a - b + modulus).remainder(modulus),
            ModularOperation.Multiply => (a * b).remainder(modulus),
            _ => throw new ArgumentOutOfRangeException(nameof(operation), operation, "unknown operation"),
        };
        var inputs = stack([a, b], 1);
        using var generator = new Generator((ulong)splitSeed);
        var order = randperm(pairs, generator: generator);
        int train = (int)Math.Round(trainFraction * pairs);
        var trainIndex = order[..train];
        var testIndex = order[train..];
        TrainInputs = inputs.index_select(0, trainIndex).DetachFromDisposeScope();
        TrainLabels = labels.index_select(0, trainIndex).DetachFromDisposeScope();
        TestInputs = inputs.index_select(0, testIndex).DetachFromDisposeScope();
        TestLabels = labels.index_select(0, testIndex).DetachFromDisposeScope();
    }

    public int Modulus { get; }

    /// <summary>[n, 2] residues (a, b) of the training pairs.</summary>
    public Tensor TrainInputs { get; }

    public Tensor TrainLabels { get; }

    /// <summary>[m, 2] residues of the held-out pairs: the model never sees them.</summary>
    public Tensor TestInputs { get; }

    public Tensor TestLabels { get; }

    public void Dispose()
    {
        TrainInputs.Dispose();
        TrainLabels.Dispose();
        TestInputs.Dispose();
        TestLabels.Dispose();
    }
}

/// <summary>The binary operation a ∘ b mod p the model learns.</summary>
public enum ModularOperation
{
    Add,
    Subtract,
    Multiply,
}
