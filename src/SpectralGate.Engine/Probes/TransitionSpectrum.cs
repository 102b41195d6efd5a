namespace SpectralGate.Engine.Probes;

/// <summary>
/// Eigenvalues of linear-recurrence state transitions h_t = A_t h_{t−1} + b_t (Grazzi et al., ICLR 2025: with every
/// eigenvalue in [0, 1] a finite-precision linear RNN cannot solve parity; negative eigenvalues fix it). For a diagonal
/// A_t the eigenvalues are its entries; for a generalised Householder A_t = I − β k kᵀ they are 1 (d − 1 times) and
/// 1 − β‖k‖².
/// </summary>
public static class TransitionSpectrum
{
    /// <param name="eigenvalues">All eigenvalues of all steps (real).</param>
    /// <param name="stepSpectralNorms">The spectral norm of each step's matrix.</param>
    public static SortedDictionary<string, double?> Metrics(IReadOnlyCollection<double> eigenvalues, IEnumerable<double> stepSpectralNorms)
    {
        int negative = eigenvalues.Count(l => l < 0);
        return new SortedDictionary<string, double?>(StringComparer.Ordinal)
        {
            [ProbeMetricNames.TransitionMinEigenvalue] = eigenvalues.Min(),
            [ProbeMetricNames.TransitionMaxEigenvalue] = eigenvalues.Max(),
            [ProbeMetricNames.NegativeEigenvalueShare] = (double)negative / eigenvalues.Count,
            [ProbeMetricNames.SpectralRadius] = eigenvalues.Max(Math.Abs),
            [ProbeMetricNames.MaxStepSpectralNorm] = stepSpectralNorms.Max(),
        };
    }

    /// <summary>Diagonal transitions (decays): each entry is an eigenvalue; each step's norm is its largest |entry|.</summary>
    public static SortedDictionary<string, double?> OfDiagonal(double[][] stepsDecays) =>
        Metrics(stepsDecays.SelectMany(s => s).ToList(), stepsDecays.Select(s => s.Max(Math.Abs)));

    /// <summary>Householder transitions I − β k kᵀ: eigenvalues 1 (d−1 times) and 1 − β‖k‖²; symmetric, so the norm is the largest |eigenvalue|.</summary>
    public static SortedDictionary<string, double?> OfHouseholder(IReadOnlyList<(double Beta, double[] K)> steps)
    {
        var eigenvalues = new List<double>();
        var norms = new List<double>();
        foreach (var (beta, k) in steps)
        {
            double special = 1 - beta * k.Sum(x => x * x);
            eigenvalues.AddRange(Enumerable.Repeat(1.0, k.Length - 1));
            eigenvalues.Add(special);
            norms.Add(Math.Max(k.Length > 1 ? 1 : 0, Math.Abs(special)));
        }
        return Metrics(eigenvalues, norms);
    }
}
