using SpectralGate.Engine.Trajectories;

namespace Grokking;

/// <summary>
/// The lock-in detector of arXiv 2605.08119 on the per-step eigengap σ₂/σ₃ (<see cref="UpdateGramEigengap"/>): fires at
/// the first step, from <c>fromStep</c> on, where log(σ₂/σ₃) rose faster than <see cref="Slope"/> per step over the last
/// <see cref="Span"/> steps. The paper's values: 25 epochs, 0.04 per epoch (one full-batch epoch is one step here).
/// </summary>
public static class EigengapSlopeDetector
{
    public const int Span = 25;

    public const double Slope = 0.04;

    /// <summary>The step where it fires, or null; <paramref name="ratios"/> has one point per step, in order.</summary>
    public static long? FirstRise(IReadOnlyList<TrajectoryPoint> ratios, long fromStep)
    {
        for (int i = Span; i < ratios.Count; i++)
        {
            if (ratios[i].Step < fromStep || ratios[i].Value is not { } now || ratios[i - Span].Value is not { } before) continue;
            double rise = (Math.Log(Math.Max(now, 1e-6)) - Math.Log(Math.Max(before, 1e-6))) / (ratios[i].Step - ratios[i - Span].Step);
            if (rise > Slope) return ratios[i].Step;
        }
        return null;
    }
}
