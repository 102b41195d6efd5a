using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SpectralGate.Tests.Support;

// Planted hyper-connection mixers for the mixer probe's tests: modules that output fixed matrices, so every metric
// has a closed form.

/// <summary>Outputs its planted mixers <c>[tokens, n, n]</c> for the token indices it is called with.</summary>
internal sealed class PlantedMixer(Tensor mixers) : nn.Module<Tensor, Tensor>("planted_mixer")
{
    private readonly Tensor _mixers = mixers;

    public override Tensor forward(Tensor tokens) => _mixers.index_select(0, tokens);
}

/// <summary>Outputs its tensor whatever it is called with.</summary>
internal sealed class FixedOutput(Tensor output) : nn.Module<Tensor, Tensor>("fixed_output")
{
    private readonly Tensor _output = output;

    public override Tensor forward(Tensor input) => _output.clone();
}

/// <summary>Blocks <c>blocks.0</c> ... <c>blocks.{L−1}</c>, run in order on the same input, through <c>call</c> (or <c>forward</c>, where hooks stay silent).</summary>
internal sealed class PlantedStack : nn.Module<Tensor, Tensor>
{
    private readonly ModuleList<nn.Module<Tensor, Tensor>> blocks;
    private readonly bool _throughCall;

    public PlantedStack(IEnumerable<Tensor> depthMixers) : this(depthMixers.Select(m => (nn.Module<Tensor, Tensor>)new PlantedMixer(m)))
    {
    }

    public PlantedStack(IEnumerable<nn.Module<Tensor, Tensor>> modules, bool throughCall = true) : base("planted_stack")
    {
        blocks = nn.ModuleList(modules.ToArray());
        _throughCall = throughCall;
        RegisterComponents();
    }

    public string[] Names => Enumerable.Range(0, blocks.Count).Select(i => $"blocks.{i}").ToArray();

    public override Tensor forward(Tensor tokens)
    {
        Tensor last = tokens;
        foreach (var block in blocks) last = _throughCall ? block.call(tokens) : block.forward(tokens);
        return last;
    }
}

/// <summary>Mixer stacks and matrices with known norms, products and entropies.</summary>
internal static class PlantedMixers
{
    public static Tensor Stack(double[][,] perToken)
    {
        int n = perToken[0].GetLength(0);
        var flat = perToken.SelectMany(m => m.Cast<double>()).ToArray();
        return tensor(flat, [perToken.Length, n, n]);
    }

    public static Tensor Tokens(int count) => arange(count, dtype: ScalarType.Int64);

    public static double[,] Permutation(params int[] target)
    {
        int n = target.Length;
        var p = new double[n, n];
        for (int i = 0; i < n; i++) p[i, target[i]] = 1;
        return p;
    }

    public static double[,] Scaled(double[,] m, double c)
    {
        var s = (double[,])m.Clone();
        for (int i = 0; i < s.GetLength(0); i++)
            for (int j = 0; j < s.GetLength(1); j++) s[i, j] *= c;
        return s;
    }

    public static double[,] Identity(int n) => Permutation(Enumerable.Range(0, n).ToArray());

    /// <summary>Sinkhorn–Knopp in float64 on positive entries until every row and column sums to 1 within 1e-15.</summary>
    public static double[,] Sinkhorn(Random random, int n)
    {
        var m = new double[n, n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++) m[i, j] = Math.Exp(2 * random.NextDouble());
        for (int iteration = 0; iteration < 10_000; iteration++)
        {
            for (int i = 0; i < n; i++)
            {
                double row = 0;
                for (int j = 0; j < n; j++) row += m[i, j];
                for (int j = 0; j < n; j++) m[i, j] /= row;
            }
            double worst = 0;
            for (int j = 0; j < n; j++)
            {
                double column = 0;
                for (int i = 0; i < n; i++) column += m[i, j];
                for (int i = 0; i < n; i++) m[i, j] /= column;
            }
            for (int i = 0; i < n; i++)
            {
                double row = 0;
                for (int j = 0; j < n; j++) row += m[i, j];
                worst = Math.Max(worst, Math.Abs(row - 1));
            }
            if (worst < 1e-15) break;
        }
        return m;
    }

    /// <summary>
    /// <paramref name="depth"/> blocks of c·D per token, D doubly stochastic (Sinkhorn): c = 1 is mHC's constraint, c &gt; 1
    /// the unconstrained HC failure whose product grows as c^l.
    /// </summary>
    public static PlantedStack HyperConnections(double rowSum, int depth = 6, int tokens = 8, int n = 4, int seed = 1)
    {
        var random = new Random(seed);
        return new PlantedStack(Enumerable.Range(0, depth).Select(_ => Stack(Enumerable.Range(0, tokens).Select(_ => Scaled(Sinkhorn(random, n), rowSum)).ToArray())).ToList());
    }
}
