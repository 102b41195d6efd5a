namespace SpectralGate.Engine.Metrics;

/// <summary>A continuous power-law fit p(λ) ∝ λ^(−α), λ ≥ xmin, of an ESD's tail (<see cref="PowerLawFit"/>).</summary>
/// <param name="Alpha">α̂ = 1 + n / Σ ln(λ_i/xmin) over λ ≥ xmin (<c>alpha</c>).</param>
/// <param name="Xmin">Start of the tail (<c>xmin</c>).</param>
/// <param name="KsDistance">D = max_j |1 − (x_j/xmin)^(1−α) − j/n|, j = 0..n−1 (<c>ks_distance</c>).</param>
/// <param name="AlphaStdErr">(α̂ − 1)/√n (<c>alpha_std_err</c>).</param>
/// <param name="NumTail">n, the eigenvalues in the tail (<c>num_tail</c>).</param>
public sealed record PowerLawResult(double Alpha, double Xmin, double KsDistance, double AlphaStdErr, int NumTail);
