using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;

namespace SpectralGate.Analyzers.Tests.Infrastructure;

/// <summary>
/// Runs an analyzer (and a code fix) on test sources compiled against the real TorchSharp assembly and the local
/// .NET reference pack: nothing is downloaded and libtorch is never loaded.
/// </summary>
internal static class Verify<TAnalyzer>
    where TAnalyzer : DiagnosticAnalyzer, new()
{
    public static DiagnosticResult Diagnostic(string id) => new DiagnosticResult(id, DiagnosticSeverity.Warning);

    public static Task Diagnostics(string source, params DiagnosticResult[] expected) => Diagnostics(source, null, expected);

    public static async Task Diagnostics(string source, string? editorConfig, params DiagnosticResult[] expected)
    {
        var test = new CSharpAnalyzerTest<TAnalyzer, DefaultVerifier>();
        Configure(test, source, editorConfig);
        test.ExpectedDiagnostics.AddRange(expected);
        await test.RunAsync();
    }

    public static async Task Fix<TFix>(string source, string fixedSource)
        where TFix : CodeFixProvider, new()
    {
        var test = new CSharpCodeFixTest<TAnalyzer, TFix, DefaultVerifier>();
        Configure(test, source, null);
        test.FixedCode = fixedSource;
        await test.RunAsync();
    }

    private static void Configure(AnalyzerTest<DefaultVerifier> test, string source, string? editorConfig)
    {
        test.TestCode = source;
        test.ReferenceAssemblies = References.None;
        test.TestState.AdditionalReferences.AddRange(References.All);
        if (editorConfig is not null)
        {
            test.TestState.AnalyzerConfigFiles.Add(("/.editorconfig", "root = true\n\n[*]\n" + editorConfig));
        }

        // Rules that are off by default are still checked here.
        test.DisabledDiagnostics.Clear();
        test.TestBehaviors |= TestBehaviors.SkipGeneratedCodeCheck;
    }
}

internal static class References
{
    /// <summary>A reference set with no package: the assemblies come from <see cref="All"/>.</summary>
    public static readonly ReferenceAssemblies None = new("net10.0");

    public static readonly ImmutableArray<MetadataReference> All = Load();

    public static readonly string TorchSharpPath = typeof(TorchSharp.torch).Assembly.Location;

    private static ImmutableArray<MetadataReference> Load()
    {
        var runtimeDirectory = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        var version = Path.GetFileName(runtimeDirectory);
        var dotnetRoot = Path.GetFullPath(Path.Combine(runtimeDirectory, "..", "..", ".."));
        var packRoot = Path.Combine(dotnetRoot, "packs", "Microsoft.NETCore.App.Ref");
        var packDirectory = Directory.Exists(Path.Combine(packRoot, version))
            ? Path.Combine(packRoot, version)
            : Directory.Exists(packRoot) ? Directory.GetDirectories(packRoot).OrderBy(d => d, StringComparer.Ordinal).LastOrDefault() : null;
        var refDirectory = packDirectory is null ? null : Directory.GetDirectories(Path.Combine(packDirectory, "ref")).FirstOrDefault();

        // Prefer the reference pack; fall back to the running runtime's implementation assemblies.
        var framework = refDirectory is not null
            ? Directory.GetFiles(refDirectory, "*.dll")
            : ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator).Where(p => Path.GetFileName(p).StartsWith("System", StringComparison.Ordinal) || Path.GetFileName(p) == "netstandard.dll" || Path.GetFileName(p) == "mscorlib.dll").ToArray();
        return framework
            .Select(path => (MetadataReference)MetadataReference.CreateFromFile(path))
            .Append(MetadataReference.CreateFromFile(typeof(TorchSharp.torch).Assembly.Location))
            .ToImmutableArray();
    }
}
