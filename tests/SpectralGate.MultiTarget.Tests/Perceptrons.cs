using TorchSharp;
using static TorchSharp.torch;

namespace SpectralGate.MultiTarget.Tests;

/// <summary>
/// Small perceptrons whose weights are a closed form, so every framework's test host, and a caller that wants the bytes
/// one process writes alone, builds the same model. No random generator involved.
/// </summary>
public static class Perceptrons
{
    public static nn.Module<Tensor, Tensor> TwoLayers() =>
        Filled(nn.Sequential(("fc1", nn.Linear(48, 32)), ("act", nn.ReLU()), ("fc2", nn.Linear(32, 16))), seed: 1);

    public static nn.Module<Tensor, Tensor> Wide(int width) => Filled(nn.Sequential(("fc", nn.Linear(width, 20))), seed: width);

    // w[k] = sin(seed * (k + 1)) / sqrt(fan-in): full rank, bounded, the same in every process.
    private static nn.Module<Tensor, Tensor> Filled(nn.Module<Tensor, Tensor> model, int seed)
    {
        using var noGrad = torch.no_grad();
        foreach (var (_, parameter) in model.named_parameters())
        {
            long count = parameter.numel(), fanIn = parameter.shape[^1];
            var values = new float[count];
            for (long k = 0; k < count; k++) values[k] = (float)(Math.Sin(seed * (k + 1.0)) / Math.Sqrt(fanIn));
            using var filled = torch.tensor(values).reshape(parameter.shape);
            parameter.copy_(filled);
        }
        return model;
    }
}
