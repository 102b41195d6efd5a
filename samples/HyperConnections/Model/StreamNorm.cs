using static TorchSharp.torch;

namespace HyperConnections;

/// <summary>RMS normalisation without a gain, over the last axis: what every projection of this model reads.</summary>
public static class StreamNorm
{
    private const double Epsilon = 1e-6;

    public static Tensor Of(Tensor x) => x * rsqrt(x.square().mean([-1L], keepdim: true) + Epsilon);
}
