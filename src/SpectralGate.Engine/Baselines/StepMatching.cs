namespace SpectralGate.Engine.Baselines;

/// <summary>How a trajectory is lined up with its baseline's steps (docs/training.md, "Trajectory baselines and the gate").</summary>
public enum StepMatching
{
    /// <summary>
    /// The default: every baseline step must be recorded in the run (a missing one is a finding) and is compared there;
    /// steps recorded only in the run are listed in a note, not compared.
    /// </summary>
    Recorded,

    /// <summary>
    /// For runs on another step grid: each step of the run inside the baseline's range is compared with the baseline
    /// interpolated on log-step (<see cref="LogStepInterpolation"/>); a run step outside that range, and a baseline
    /// step outside the run's range (a run cut short), are findings.
    /// </summary>
    Interpolated,
}
