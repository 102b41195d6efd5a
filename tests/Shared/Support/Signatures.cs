using SpectralGate.Engine.Matrices;
using SpectralGate.Engine.Signatures;

namespace SpectralGate.Tests.Support;

/// <summary>Hand-made signatures for tests of comparison, files and assertions.</summary>
internal static class TestSignatures
{
    public static LayerSignature Layer(string name, long[] shape, params (string Metric, double? Value)[] metrics) => new()
    {
        Name = name,
        Shape = shape,
        Kind = LayerKind.Linear,
        Metrics = new SortedDictionary<string, double?>(metrics.ToDictionary(m => m.Metric, m => m.Value), StringComparer.Ordinal),
        Labels = [],
    };

    public static SpectralSignature Of(params LayerSignature[] layers) => new()
    {
        Model = new ModelInfo("model.safetensors", "safetensors", new string('a', 64), 1234),
        Settings = new SortedDictionary<string, string>(StringComparer.Ordinal) { ["precision"] = "float64" },
        Layers = layers,
        Skipped = [new SkippedTensor("bias", [16], "1-D tensor")],
    };
}
