using SpectralGate.Engine.Signatures;
using SpectralGate.Engine.Trajectories;
using static SpectralGate.Tests.Support.TestSignatures;

namespace SpectralGate.Engine.Tests.Trajectories;

/// <summary>Hand-made trajectories for the format, merge and CSV tests.</summary>
internal static class TestTrajectories
{
    public static SortedDictionary<string, string> Settings(string precision = "float64") =>
        new(StringComparer.Ordinal) { ["precision"] = precision };

    public static TrajectoryRecord Record(long step, double alpha, string? sha = null, string tier = TrajectoryTiers.Full, string? source = null, params (string Name, double Value)[] scalars) => new()
    {
        Step = step,
        Source = source ?? $"ckpt/step-{step}.safetensors",
        Tier = tier,
        Sha256 = sha ?? new string((char)('a' + (int)(step % 6)), 64),
        Layers = [Layer("layers.10.w", [8, 4], ("alpha", alpha), ("stable_rank", 2.5)), Layer("layers.2.w", [4, 4], ("alpha", alpha + 1), ("xmin", null))],
        Scalars = new SortedDictionary<string, double>(scalars.ToDictionary(s => s.Name, s => s.Value), StringComparer.Ordinal),
    };

    public static Trajectory Of(params TrajectoryRecord[] records) => new() { Settings = Settings(), Records = records };
}
