using SpectralGate.Engine.Baselines;

namespace SpectralGate.Engine.Gate;

/// <summary>What the gate needs to check one trajectory file against its baseline (docs/gate.md, "Trajectories").</summary>
public sealed class TrajectoryGateRequest
{
    /// <summary>The trajectory JSON of the run (<c>spectralgate trajectory --json</c> or the training monitor's file).</summary>
    public required string TrajectoryPath { get; init; }

    public required string BaselinePath { get; init; }

    /// <summary>Overrides on top of the rules recorded in the baseline (the later wins).</summary>
    public IReadOnlyList<ToleranceRule> ToleranceOverrides { get; init; } = [];

    public StepMatching Steps { get; init; } = StepMatching.Recorded;

    /// <summary>Report regressions as warnings (structural and settings changes stay errors).</summary>
    public bool WarningsOnly { get; init; }

    public string AcceptHint { get; init; } = "re-run with --accept";
}
