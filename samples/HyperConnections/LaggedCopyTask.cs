using TorchSharp;
using static TorchSharp.torch;

namespace HyperConnections;

/// <summary>
/// Random token sequences labelled at each position t ≥ 2 with the token two positions back, x[t-2]: the model must
/// learn to attend by relative position. Batches come from a seeded generator, so a seed fixes every batch.
/// </summary>
public sealed class LaggedCopyTask : IDisposable
{
    public const int Lag = 2;

    private readonly Generator generator;
    private readonly int vocabulary;
    private readonly int tokens;

    public LaggedCopyTask(int vocabulary, int tokens, long seed)
    {
        if (tokens <= Lag) throw new ArgumentOutOfRangeException(nameof(tokens), tokens, $"the task needs more than {Lag} tokens.");
        this.vocabulary = vocabulary;
        this.tokens = tokens;
        generator = new Generator((ulong)seed);
    }

    /// <summary>The next batch: tokens [batch, T] and labels [batch, T - 2] for positions 2..T-1.</summary>
    public (Tensor Tokens, Tensor Labels) Next(int batch)
    {
        var x = randint(0, vocabulary, [batch, tokens], dtype: ScalarType.Int64, generator: generator);
        return (x, x[.., ..^Lag].clone());
    }

    /// <summary>Cross-entropy of the logits [batch, T, V] on the labelled positions.</summary>
    public static Tensor Loss(Tensor logits, Tensor labels) =>
        nn.functional.cross_entropy(logits[.., Lag..].flatten(0, 1), labels.flatten());

    public void Dispose() => generator.Dispose();
}
