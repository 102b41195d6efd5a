using SpectralGate.Engine.Baselines;
using SpectralGate.Engine.Signatures;

using SpectralGate.Engine.Runtime;
using SpectralGate.Engine.Snapshots;
namespace SpectralAssert.Snapshots;

/// <summary>How <see cref="SpectralSnapshot"/> computes, names and compares a snapshot.</summary>
public sealed class SnapshotSettings
{
    public SignatureOptions Signature { get; init; } = new();

    /// <summary>Tolerance overrides on top of <see cref="ToleranceDefaults"/>; recorded in the baseline.</summary>
    public TolerancePolicy Tolerances { get; init; } = new();

    /// <summary>Folder of the snapshot files; the test source's folder when null.</summary>
    public string? Directory { get; init; }

    /// <summary>Replaces <c>{TestClass}.{TestMethod}[_{args}]</c> in the file name.</summary>
    public string? FileName { get; init; }

    /// <summary>How a trajectory snapshot lines up the run's steps with the baseline's (<see cref="TrajectorySnapshot"/> only): recorded steps by default.</summary>
    public StepMatching Steps { get; init; } = StepMatching.Recorded;

    /// <summary>Environment variable that, set to 1 or true outside CI, accepts new and changed snapshots on the spot.</summary>
    public const string AutoAcceptVariable = "SPECTRALGATE_AUTO_ACCEPT";
}
