namespace SpectralGate.Engine.Metrics;

/// <summary>The Marchenko–Pastur bulk fitted to a spectrum (<see cref="MarchenkoPastur.Fit"/>).</summary>
/// <param name="Sigma">σ̂, the estimated standard deviation of the entries of W (<c>mp_sigma</c>).</param>
/// <param name="BulkMax">N·σ̂²(1+1/√Q)², the bulk edge in the units of λ, comparable with λ_max (<c>mp_bulk_max</c>).</param>
/// <param name="SpikeThreshold">N·(λ₊ + 2.0234·s): eigenvalues above it are spikes (in the units of λ).</param>
/// <param name="NumSpikes">Eigenvalues above <paramref name="SpikeThreshold"/> (<c>num_spikes</c>).</param>
/// <param name="SoftRank">BulkMax/λ_max (<c>mp_softrank</c>).</param>
public sealed record MarchenkoPasturFit(double Sigma, double BulkMax, double SpikeThreshold, int NumSpikes, double SoftRank);
