using SpectralGate.Engine.Signatures;
using SpectralGate.Engine.Sources;
using SpectralGate.Engine.Sources.TorchSharp;
using TorchSharp;

namespace SpectralAssert.Assertions;

/// <summary>What an assertion can be given: a live TorchSharp module, a checkpoint path, or a computed signature.</summary>
public static class SignatureInputs
{
    public static SpectralSignature Resolve(object? actual, SignatureOptions options) => actual switch
    {
        SpectralSignature signature => signature,
        string path => FromPath(path, options),
        FileInfo file => FromPath(file.FullName, options),
        torch.nn.Module module => FromModule(module, options),
        null => throw new ArgumentNullException(nameof(actual), "expected a TorchSharp module, a checkpoint path or a SpectralSignature, but got null."),
        _ => throw new ArgumentException($"expected a TorchSharp module, a checkpoint path or a SpectralSignature, but got {actual.GetType().FullName}.", nameof(actual)),
    };

    private static SpectralSignature FromPath(string path, SignatureOptions options)
    {
        using var source = ModelSources.Open(path);
        return SignatureCache.GetOrCompute(source, options);
    }

    private static SpectralSignature FromModule(torch.nn.Module module, SignatureOptions options)
    {
        using var source = new ModuleSource(module);
        return SignatureCache.GetOrCompute(source, options);
    }

    /// <summary>How the input is named in failure messages.</summary>
    public static string Describe(object? actual) => actual switch
    {
        SpectralSignature s => $"signature of {s.Model.Path}",
        string path => path,
        FileInfo file => file.FullName,
        torch.nn.Module module => $"module {module.GetName()}",
        _ => actual?.ToString() ?? "null",
    };
}
