using SpectralGate.Engine.Spectra;
using TorchSharp;

namespace SpectralGate.Engine.Training;

/// <summary>
/// σ_max of each matrix of a batch <c>[b, r, c]</c> by power iteration on WᵀW (v ← Wᵀ(Wv)/‖·‖, σ = ‖Wᵀu‖ with u = Wv/‖Wv‖,
/// a lower bound that rises to σ_max), warm-started from a previous right vector. Between two records of a training run
/// the top singular vector barely turns, so a warm start converges in one or two iterations where a random start needs
/// about log(tol)/log(σ₂/σ₁)². Stops when no matrix's estimate changed by more than <c>tolerance</c> (relative).
/// Call it on one libtorch thread (the monitor does) for thread-count-independent bits.
/// </summary>
public static class PowerIteration
{
    /// <summary>The estimate: the batch's largest σ, each matrix's σ, the right vectors <c>[b, c]</c> (float64, caller-owned) and the iterations run.</summary>
    public sealed record Result(double SpectralNorm, double[] PerMatrix, torch.Tensor RightVectors, int Iterations);

    /// <param name="batch">Matrices <c>[b, r, c]</c>, float64.</param>
    /// <param name="start">Right vectors <c>[b, c]</c> to start from (the previous record's), or null for the fixed pseudo-random start.</param>
    /// <param name="tolerance">Relative change of every matrix's σ between two iterations at which to stop.</param>
    /// <param name="maxIterations">Iterations at most.</param>
    public static Result Run(torch.Tensor batch, torch.Tensor? start, double tolerance, int maxIterations)
    {
        if (batch.dim() != 3) throw new ArgumentException($"a batch of matrices [b, r, c] was expected, not [{string.Join(", ", batch.shape)}].", nameof(batch));
        if (maxIterations < 1) throw new ArgumentOutOfRangeException(nameof(maxIterations), maxIterations, "at least one iteration.");
        long b = batch.shape[0], c = batch.shape[2];
        using var scope = torch.NewDisposeScope();
        torch.Tensor v = start is not null && start.shape.SequenceEqual(new[] { b, c }) ? start.to(torch.ScalarType.Float64, copy: true) : InitialVectors(b, c);
        v = Normalised(v);
        var transposed = batch.transpose(1, 2);
        double[] previous = new double[b];
        double[] sigma = previous;
        int iterations = 0;
        while (iterations < maxIterations)
        {
            iterations++;
            var u = torch.bmm(batch, v.unsqueeze(2));
            u = u / u.norm(1, keepdim: true).clamp_min(double.Epsilon);
            var w = torch.bmm(transposed, u).squeeze(2);
            var norms = w.norm(1, keepdim: true);
            sigma = norms.squeeze(1).data<double>().ToArray();
            // A zero matrix gives a zero vector and σ = 0 (the clamp keeps 0/0 from making it NaN).
            v = w / norms.clamp_min(double.Epsilon);
            bool converged = iterations > 1;
            for (int i = 0; i < b && converged; i++)
                converged = Math.Abs(sigma[i] - previous[i]) <= tolerance * sigma[i];
            previous = sigma;
            if (converged) break;
        }
        return new Result(sigma.Length == 0 ? 0 : sigma.Max(), sigma, v.MoveToOuterDisposeScope(), iterations);
    }

    /// <summary>The fixed start: SplitMix64 uniforms in [−1, 1) (same on every machine), one vector per matrix.</summary>
    public static torch.Tensor InitialVectors(long count, long columns)
    {
        var random = new SplitMix64(0x5EC7_2A1_600DUL);
        var values = new double[count * columns];
        for (long i = 0; i < values.Length; i++) values[i] = (random.Next() >> 11) * (2.0 / (1UL << 53)) - 1;
        return torch.tensor(values, [count, columns], torch.ScalarType.Float64);
    }

    private static torch.Tensor Normalised(torch.Tensor rows) => rows / rows.norm(1, keepdim: true).clamp_min(double.Epsilon);
}
