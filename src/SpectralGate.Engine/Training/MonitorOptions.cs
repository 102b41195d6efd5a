using SpectralGate.Engine.Signatures;

namespace SpectralGate.Engine.Training;

/// <summary>What the <see cref="SpectralMonitor"/> records, how often, and how much time it may take (docs/training.md).</summary>
public sealed class MonitorOptions
{
    /// <summary>k: a cheap record every k steps (and at step 0). Default 100.</summary>
    public int Every { get; init; } = 100;

    /// <summary>m: the full signature at every m-th multiple of k (steps 0, k·m, ...); 0 for none on schedule. Default 10.</summary>
    public int FullEvery { get; init; } = 10;

    /// <summary>Also record the powers of two below k (1, 2, 4, ...), where training moves fastest. Default on.</summary>
    public bool LogSpacedEarly { get; init; } = true;

    /// <summary>
    /// The signature settings of full records, and the layer selection of both tiers (<see cref="ComputeOptions.Selection"/>:
    /// include/exclude globs and minimum sizes, the same rules as <c>inspect</c>). Exact float64 by default; set
    /// <see cref="ComputeOptions.Sketch"/> for sketched full records.
    /// </summary>
    public SignatureOptions Signature { get; init; } = new();

    /// <summary>
    /// The share of training wall time the monitor may take (default 0.01 = 1 %; 1 or more = no limit). Over it, full
    /// records are dropped first, then activation probes, then cheap records; each drop is listed in <see cref="MonitorReport.Dropped"/>.
    /// </summary>
    public double Budget { get; init; } = 0.01;

    /// <summary>The run's last step, when known: the budget is then a share of the projected run, so early records may spend it first.</summary>
    public long? TotalSteps { get; init; }

    /// <summary>
    /// Relative change of σ_max between two power iterations at which the cheap tier stops. Default 1e-3: the estimate's
    /// error is about the change of the last step or less, far below a training run's step-to-step movement.
    /// </summary>
    public double PowerIterationTolerance { get; init; } = 1e-3;

    /// <summary>
    /// Most power iterations per matrix and record. Default 8: a warm start needs 2 or 3; an update ΔW of an adaptive
    /// optimizer has a flat top spectrum and may stop at the limit, its σ_max then a lower bound within a few per cent.
    /// </summary>
    public int PowerIterationLimit { get; init; } = 8;

    /// <summary>
    /// Analyse on a background thread (one worker, <see cref="QueueCapacity"/> records queued; the training thread waits
    /// when the queue is full). Off by default: on 2 cores the worker competes with the training's own threads and the
    /// inline analysis was faster (figures in docs/training.md).
    /// </summary>
    public bool Background { get; init; }

    /// <summary>Records waiting for the worker at most (each holds one copy of the selected weights). Default 2.</summary>
    public int QueueCapacity { get; init; } = 2;

    /// <summary>Activation probes on a fixed calibration batch at recording steps; null for none.</summary>
    public MonitorProbes? Probes { get; init; }

    /// <summary>
    /// A folder to write a TensorBoard event file into while training runs (<c>events.out.tfevents.0.spectralgate</c>,
    /// one event appended per recorded step; tags <c>spectral/{layer}/{metric}</c>, <c>spectral_cheap/{layer}/{metric}</c>,
    /// <c>scalars/{name}</c>: <see cref="Trajectories.TrajectoryTensorBoard"/>); null for none. The file of an earlier run
    /// in the same folder is replaced when the monitor starts: give each run its own folder.
    /// </summary>
    public string? TensorBoard { get; init; }

    /// <summary>The monitor's clock (tests inject one). Default the system's.</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;

    /// <summary>Describes the model in messages. Default <c>module:{class}</c>.</summary>
    public string? Description { get; init; }
}
