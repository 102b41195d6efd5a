using TorchSharp;

namespace SpectralGate.Engine.Spectra;

/// <summary>
/// A sketched spectrum λ = σ² of one matrix W without forming its Gram matrix: block Lanczos with full
/// reorthogonalization on G = WᵀW (or WWᵀ, the smaller), started from Gaussian probes. Rayleigh–Ritz on the Krylov
/// basis gives the top of the spectrum (randomized block Krylov, Musco and Musco 2015), and block Gauss quadrature on the
/// same basis gives the bulk (stochastic Lanczos quadrature). <see cref="RitzQuadrature"/> joins the two into a full
/// spectrum, so every metric is computed by the same code as in exact mode. The two passes over W per block run in the
/// matrix's dtype on its device; the small projected problem runs in float64.
/// </summary>
public static class LanczosQuadratureSpectrum
{
    /// <summary>The sketched eigenvalues of the 2-D <paramref name="matrix"/>, descending, min(rows, cols) of them.</summary>
    /// <param name="matrix">The weight matrix, in the dtype and on the device the passes should run in.</param>
    /// <param name="options">Block size, steps and seed.</param>
    /// <param name="name">The layer's name: mixed into the probe seed, so a layer's probes do not depend on the others.</param>
    public static double[] Eigenvalues(torch.Tensor matrix, SketchOptions options, string name)
    {
        var run = Run(matrix, options, name);
        return PowerOfTwoScale.Restore(Spectrum(run), run.Exponent);
    }

    /// <summary>
    /// The full spectrum of a run, in its scaled units. An invariant Krylov space holding the whole trace is the whole
    /// range: its Ritz values are the nonzero eigenvalues and the rest are zero (a matrix of rank ≤ block·steps). The
    /// quadrature would instead read noise in the probe weights as mass (a weight of 1.75 on a converged value spreads
    /// ten eigenvalues below it), so it serves the other runs.
    /// </summary>
    internal static double[] Spectrum(LanczosRun run)
    {
        double seen = run.Ritz.Sum(v => Math.Max(0, v));
        if (!run.Invariant || run.Ritz.Length > run.Rank || Math.Abs(run.Trace - seen) > 1e-9 * run.Trace)
            return RitzQuadrature.Reconstruct(run.Ritz, run.Weights, run.Converged, run.Rank, run.Trace);
        var eigenvalues = new double[run.Rank];
        for (int i = 0; i < run.Ritz.Length; i++) eigenvalues[i] = Math.Max(0, run.Ritz[i]);
        Array.Sort(eigenvalues);
        Array.Reverse(eigenvalues);
        return eigenvalues;
    }

    /// <summary>
    /// What one Lanczos run yields, in the scaled units (multiply eigenvalues by 2^(2·Exponent)). <see cref="Invariant"/>:
    /// the run stopped early because its Krylov space was invariant, so every Ritz value is an eigenvalue.
    /// </summary>
    internal sealed record LanczosRun(double[] Ritz, double[] Weights, double[] Residuals, bool[] Converged, int Rank, double Trace, int Exponent,
        bool Invariant = false);

    /// <summary>One Lanczos run, the same bits at any thread count.</summary>
    internal static LanczosRun Run(torch.Tensor matrix, SketchOptions options, string name)
    {
        ArgumentNullException.ThrowIfNull(options);
        return SingleThreadedSpectrum.Run(() => Compute(matrix, options, name, 0).Run);
    }

    /// <summary>
    /// The same run (the same Ritz values, bit for bit) and the Ritz vectors of its <paramref name="count"/> largest Ritz
    /// values, float64 columns on the smaller side (right singular vectors when cols ≤ rows); null for a zero matrix.
    /// </summary>
    internal static (LanczosRun Run, torch.Tensor? TopVectors) RunWithTopVectors(torch.Tensor matrix, SketchOptions options, string name, int count)
    {
        ArgumentNullException.ThrowIfNull(options);
        return SingleThreadedSpectrum.Run(() => Compute(matrix, options, name, count));
    }

    private static (LanczosRun Run, torch.Tensor? TopVectors) Compute(torch.Tensor matrix, SketchOptions options, string name, int vectorCount)
    {
        if (matrix.dim() != 2) throw new ArgumentException("the sketch takes one 2-D matrix.", nameof(matrix));
        using var scope = torch.NewDisposeScope();
        long rows = matrix.shape[0], cols = matrix.shape[1];
        int rank = (int)Math.Min(rows, cols);
        if (rank == 0) return (new LanczosRun([], [], [], [], 0, 0, 0), null);

        if (PowerOfTwoScale.Normalize(matrix) is not var (w, exponent)) return (new LanczosRun([0], [rank], [0], [false], rank, 0, 0), null);
        double trace = SquaredFrobenius.Of(w);

        torch.Tensor wt = w.t();
        Func<torch.Tensor, torch.Tensor> gram = cols <= rows ? x => wt.matmul(w.matmul(x)) : x => w.matmul(wt.matmul(x));

        int block = Math.Min(options.BlockSize, rank);
        int steps = Math.Max(1, Math.Min(options.Steps, rank / block));
        var generator = new torch.Generator((ulong)Seed(options.Seed, name), torch.CPU);
        torch.Tensor omega = torch.randn(new long[] { rank, block }, dtype: torch.ScalarType.Float64, generator: generator);
        var (q0, r0) = torch.linalg.qr(omega);
        torch.Tensor r0Transposed = r0.t();

        var basis = new List<torch.Tensor> { q0.to(matrix.dtype).to(matrix.device) };
        bool invariant = false;
        var images = new List<torch.Tensor>();
        for (int step = 0; step < steps; step++)
        {
            torch.Tensor image = gram(basis[step]);
            images.Add(image);
            if (step == steps - 1) break;
            torch.Tensor q = torch.cat(basis, 1);
            // Full reorthogonalization, twice (classical Gram–Schmidt twice is as stable as modified).
            torch.Tensor next = image - q.matmul(q.t().matmul(image));
            next = next - q.matmul(q.t().matmul(next));
            double residual = torch.linalg.norm(next).to(torch.ScalarType.Float64).cpu().item<double>();
            double size = torch.linalg.norm(image).to(torch.ScalarType.Float64).cpu().item<double>();
            invariant = residual <= 1e-9 * size;
            if (invariant) break; // the Krylov space is invariant: its Ritz values are exact eigenvalues
            var (qNext, _) = torch.linalg.qr(next);
            qNext = qNext - q.matmul(q.t().matmul(qNext));
            (qNext, _) = torch.linalg.qr(qNext);
            basis.Add(qNext);
        }

        torch.Tensor basis64 = torch.cat(basis, 1).to(torch.ScalarType.Float64);
        torch.Tensor images64 = torch.cat(images, 1).to(torch.ScalarType.Float64);
        torch.Tensor projected = basis64.t().matmul(images64);
        projected = (projected + projected.t()) * 0.5;
        var (theta, vectors) = torch.linalg.eigh(projected);

        torch.Tensor residuals = torch.linalg.vector_norm(images64.matmul(vectors) - basis64.matmul(vectors) * theta.unsqueeze(0), dims: [0]);
        // Block Gauss quadrature: Ωᵀf(G)Ω ≈ R0ᵀ·Y₁·f(Θ)·Y₁ᵀ·R0 with Y₁ the first block's rows of the Ritz vectors, and
        // E[ωᵀf(G)ω] = tr f(G) for a Gaussian ω, so the weight of θ_i is ‖R0ᵀ·Y₁[:, i]‖² / block.
        torch.Tensor firstRows = vectors[torch.TensorIndex.Slice(0, block)].cpu();
        torch.Tensor weights = r0Transposed.matmul(firstRows).square().sum(dim: 0) / block;

        double[] ritz = theta.to(torch.ScalarType.Float64).cpu().data<double>().ToArray();
        double[] weight = weights.to(torch.ScalarType.Float64).data<double>().ToArray();
        double[] res = residuals.to(torch.ScalarType.Float64).cpu().data<double>().ToArray();
        // A Ritz value stands for exactly one eigenvalue when its residual interval [θ − ‖r‖, θ + ‖r‖], which holds an
        // eigenvalue, is disjoint from its neighbours'; its error is then at most ‖r‖²/gap (Kato–Temple).
        bool[] converged = new bool[ritz.Length];
        int[] byValue = Enumerable.Range(0, ritz.Length).OrderBy(i => ritz[i]).ToArray();
        for (int k = 0; k < byValue.Length; k++)
        {
            int i = byValue[k];
            double below = k > 0 ? ritz[i] - ritz[byValue[k - 1]] - res[byValue[k - 1]] : double.PositiveInfinity;
            double above = k + 1 < byValue.Length ? ritz[byValue[k + 1]] - ritz[i] - res[byValue[k + 1]] : double.PositiveInfinity;
            converged[i] = ritz[i] > 0 && res[i] < below && res[i] < above;
        }
        // eigh is ascending: the top Ritz vectors are the last columns, lifted back from the Krylov basis.
        int top = Math.Min(vectorCount, ritz.Length);
        torch.Tensor? topVectors = top == 0 ? null : basis64.matmul(vectors[.., (ritz.Length - top)..]).MoveToOuterDisposeScope();
        return (new LanczosRun(ritz, weight, res, converged, rank, trace, exponent, invariant), topVectors);
    }

    /// <summary>FNV-1a of the name mixed with the seed: stable across runs, processes and platforms (unlike string.GetHashCode).</summary>
    private static long Seed(int seed, string name)
    {
        ulong hash = 14695981039346656037UL;
        foreach (char c in name)
        {
            hash ^= c;
            hash *= 1099511628211UL;
        }
        hash ^= (ulong)(uint)seed * 0x9E3779B97F4A7C15UL;
        return (long)(hash & 0x7FFF_FFFF_FFFF_FFFFUL);
    }
}
