using SpectralGate.Engine.Sources;

namespace SpectralGate.Engine.Deltas;

/// <summary>
/// The rounding a checkpoint's storage puts into W_tuned − W_base. A tuned model saved in float32 or bfloat16 holds
/// fl(W_base + ΔW), so the difference carries a full-rank error E with |E_ij| ≤ u·|W_ij| (u the unit roundoff of the
/// stored type). A random matrix with such entries has ‖E‖₂ below u·max|W|·√max(N, M) (Bai–Yin), so singular values
/// of ΔW under that floor cannot be told apart from rounding and are not counted.
/// </summary>
public static class StorageRoundoff
{
    /// <summary>u = 2^-p for p significand bits: float64 2^-53, float32 2^-24, float16 2^-11, bfloat16 2^-8.</summary>
    public static double UnitRoundoff(TensorDType dtype) => dtype switch
    {
        TensorDType.Float64 => Math.ScaleB(1, -53),
        TensorDType.Float32 => Math.ScaleB(1, -24),
        TensorDType.Float16 => Math.ScaleB(1, -11),
        TensorDType.BFloat16 => Math.ScaleB(1, -8),
        _ => 0,
    };

    /// <summary>The coarser of the two stored types' roundoff: the larger rounding dominates the difference.</summary>
    public static double Of(TensorDType a, TensorDType b) => Math.Max(UnitRoundoff(a), UnitRoundoff(b));

    /// <summary>The floor on λ = σ² of ΔW: (u·max|W_tuned|·√max(N, M))².</summary>
    public static double EigenvalueFloor(double unitRoundoff, double maxAbsTuned, int n, int m)
    {
        double sigma = unitRoundoff * maxAbsTuned * Math.Sqrt(Math.Max(n, m));
        return sigma * sigma;
    }
}
