using SpectralGate.Engine.Baselines;
using SpectralGate.Engine.Signatures;
using SpectralGate.Engine.Sources;

namespace SpectralGate.Cli.Commands;

/// <summary>A command argument that is either a signature/baseline JSON file or a model to compute one from.</summary>
internal static class SignatureArguments
{
    public static bool IsSignatureFile(string path) =>
        path.EndsWith(".json", StringComparison.OrdinalIgnoreCase) && !path.EndsWith(".index.json", StringComparison.OrdinalIgnoreCase);

    public static SpectralSignature Load(string path, SignatureOptions options)
    {
        if (IsSignatureFile(path)) return BaselineFile.Read(path).Signature;
        using var source = ModelSources.Open(path);
        return SpectralEngine.Compute(source, options);
    }
}
