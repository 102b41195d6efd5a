using SpectralGate.Engine.Baselines;
using SpectralGate.Engine.Trajectories;

namespace SpectralGate.Engine.Gate;

/// <summary>The outcome of a trajectory check: diagnostics to print, the run and the comparison when they could be read.</summary>
public sealed record TrajectoryGateResult(IReadOnlyList<GateDiagnostic> Diagnostics, Trajectory? Trajectory, TrajectoryComparison? Comparison)
{
    public bool HasErrors => Diagnostics.Any(d => d.IsError);
}
