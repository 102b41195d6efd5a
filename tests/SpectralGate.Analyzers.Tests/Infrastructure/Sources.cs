namespace SpectralGate.Analyzers.Tests.Infrastructure;

internal static class Sources
{
    /// <summary>The usings most TorchSharp code starts with.</summary>
    public const string Usings = """
        using TorchSharp;
        using TorchSharp.Modules;
        using static TorchSharp.torch;
        using F = TorchSharp.torch.nn.functional;
        using Tensor = TorchSharp.torch.Tensor;

        """;
}
