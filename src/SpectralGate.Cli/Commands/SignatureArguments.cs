using SpectralGate.Engine.Baselines;
using SpectralGate.Engine.Signatures;
using SpectralGate.Engine.Sources;

namespace SpectralGate.Cli.Commands;

/// <summary>A command argument that is either a signature/baseline JSON file or a model to compute one from.</summary>
internal static class SignatureArguments
{
    public static bool IsSignatureFile(string path) =>
        path.EndsWith(".json", StringComparison.OrdinalIgnoreCase) && !path.EndsWith(".index.json", StringComparison.OrdinalIgnoreCase);

    public static SpectralSignature Load(string path, SignatureOptions options) => LoadRecorded(path, options).Signature;

    /// <summary>The signature and, for a baseline file, the tolerances it recorded (none for a model).</summary>
    public static (SpectralSignature Signature, RecordedTolerances Tolerances) LoadRecorded(string path, SignatureOptions options)
    {
        if (IsSignatureFile(path))
        {
            byte[] bytes = SignatureJson.ReadBytes(path);
            foreach (string warning in BaselineWarnings.Of(bytes)) Console.Error.WriteLine($"warning: {path}: {warning}");
            return BaselineFile.Parse(path, bytes);
        }
        using var source = ModelSources.Open(path);
        return (SpectralEngine.Compute(source, options), RecordedTolerances.None);
    }
}
