using System.Collections.Concurrent;
using SpectralGate.Engine.Sources;

namespace SpectralGate.Engine.Signatures;

/// <summary>
/// Signatures computed once per test run: keyed by what the model is (description and SHA-256 of its content) and
/// every setting that changes a number, so a test file that asserts ten things on one checkpoint pays for one
/// spectrum per layer.
/// </summary>
public static class SignatureCache
{
    private static readonly ConcurrentDictionary<string, Lazy<SpectralSignature>> Cache = new(StringComparer.Ordinal);

    public static SpectralSignature GetOrCompute(ITensorSource source, SignatureOptions options)
    {
        string sha = source.ComputeSha256();
        string key = string.Join("\n", source.Description, sha, string.Join(";", SpectralEngine.Settings(options).Select(p => $"{p.Key}={p.Value}")));
        var lazy = Cache.GetOrAdd(key, _ => new Lazy<SpectralSignature>(() => SpectralEngine.Compute(source, options, null, CancellationToken.None, sha)));
        try
        {
            return lazy.Value;
        }
        catch
        {
            Cache.TryRemove(key, out _); // a failure is reported once per call, not cached
            throw;
        }
    }

    public static void Clear() => Cache.Clear();
}
