namespace SpectralGate.Engine.Trajectories.Statistics;

/// <summary>
/// The μP spectral scale √(fan_out/fan_in) of a weight (Yang, Simon &amp; Bernstein 2023, "A spectral condition for feature
/// learning": ‖W‖₂ and ‖ΔW‖₂ should be Θ(√(fan_out/fan_in)); "Towards a principled Muon under μP"). fan_out is the
/// first dimension, fan_in the product of the others (a convolution's in_channels·k_h·k_w), as TorchSharp stores weights.
/// </summary>
public static class MupScale
{
    public static double Of(IReadOnlyList<long> shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        if (shape.Count < 2) throw new ArgumentException($"the μP scale needs a matrix or a convolution kernel, but the shape is [{string.Join(", ", shape)}].", nameof(shape));
        double fanOut = shape[0];
        double fanIn = 1;
        for (int i = 1; i < shape.Count; i++) fanIn *= shape[i];
        if (!(fanOut > 0 && fanIn > 0)) throw new ArgumentException($"the μP scale needs non-empty dimensions, but the shape is [{string.Join(", ", shape)}].", nameof(shape));
        return Math.Sqrt(fanOut / fanIn);
    }
}
