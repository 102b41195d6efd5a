using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using SpectralGate.Analyzers.Rules;
using SpectralGate.Analyzers.Tests.Infrastructure;

namespace SpectralGate.Analyzers.Tests;

/// <summary>
/// SG0001 on the model of samples/HyperConnections, as written there: the HC block (an unconstrained dynamic mixer,
/// a submodule of its own) is reported once, at the product of its mixer with the streams; the mHC block (the same
/// mixer projected by Sinkhorn-Knopp) is not, nor is anything else of the model.
/// </summary>
public class HyperConnectionSampleTests
{
    // The sample's implicit usings (Microsoft.NET.Sdk, ImplicitUsings=enable) that its model files rely on.
    private const string ImplicitUsings = "global using System; global using System.Collections.Generic; global using System.Linq;";

    [Test]
    public async Task SG0001_reports_the_HC_block_and_not_the_mHC_block()
    {
        var folder = Path.Combine(RepositoryRoot(), "samples", "HyperConnections", "Model");
        var options = new CSharpParseOptions(LanguageVersion.Latest);
        var trees = Directory.GetFiles(folder, "*.cs").Order(StringComparer.Ordinal)
            .Select(path => CSharpSyntaxTree.ParseText(File.ReadAllText(path), options, path: Path.GetFileName(path)))
            .Append(CSharpSyntaxTree.ParseText(ImplicitUsings, options, path: "GlobalUsings.cs"))
            .ToList();
        var compilation = CSharpCompilation.Create("HyperConnectionsModel", trees, References.All,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        Assert.That(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error), Is.Empty, "the sample's model compiles alone");
        Assert.That(trees.Select(t => t.FilePath), Does.Contain("HcBlock.cs").And.Contain("MhcBlock.cs"));

        var diagnostics = await compilation.WithAnalyzers([new ResidualMixerAnalyzer()]).GetAnalyzerDiagnosticsAsync();

        var reported = diagnostics.Select(d => $"{d.Location.SourceTree!.FilePath}: {d.Id} at {d.Location.SourceTree.GetText().ToString(d.Location.SourceSpan)}: {d.GetMessage(System.Globalization.CultureInfo.InvariantCulture)}");
        Assert.That(reported, Is.EqualTo(new[]
        {
            "HcBlock.cs: SG0001 at Hres.matmul(x): Residual mixer 'Hres' has no spectral constraint, so products over depth can explode or vanish; project it (Sinkhorn-Knopp)",
        }));
    }

    // From the build, not [CallerFilePath]: a CI build maps source paths to /_/.
    private static string RepositoryRoot() =>
        typeof(HyperConnectionSampleTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "RepositoryRoot").Value!;
}
