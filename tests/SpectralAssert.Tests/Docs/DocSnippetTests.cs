using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using SpectralGate.Tests.Support;

namespace SpectralAssert.Tests.Docs;

/// <summary>
/// Every C# block of README.md and docs/*.md compiles against the current API, in the spirit of NUnit.Analyzers'
/// documentation tests. A block is marked <c>&lt;!-- snippet ... --&gt;</c> on the line before its fence (compiled)
/// or <c>&lt;!-- not-a-snippet: why --&gt;</c> (an excerpt that cannot compile alone); an unmarked block fails, so a
/// new example cannot skip the check. Snippets compile as a user's test project would: with the NUnit template's
/// global usings, and members outside a class wrapped in one.
/// </summary>
public class DocSnippetTests
{
    public sealed record CSharpBlock(string File, int Line, string Marker, string Code)
    {
        public override string ToString() => $"{Path.GetFileName(File)}:{Line}";
    }

    private static readonly string[] ImplicitUsings = ["System", "System.IO", "System.Linq", "System.Collections.Generic", "NUnit.Framework"];

    private static IEnumerable<string> DocumentationFiles() =>
        new[] { Path.Combine(TestPaths.RepositoryRoot, "README.md") }
            .Concat(Directory.EnumerateFiles(Path.Combine(TestPaths.RepositoryRoot, "docs"), "*.md").Order(StringComparer.Ordinal));

    private static List<CSharpBlock> Blocks()
    {
        var blocks = new List<CSharpBlock>();
        foreach (string file in DocumentationFiles())
        {
            string[] lines = File.ReadAllLines(file);
            for (int i = 0; i < lines.Length; i++)
            {
                if (!Regex.IsMatch(lines[i].Trim(), "^```(csharp|cs|c#)$", RegexOptions.IgnoreCase)) continue;
                int end = Array.FindIndex(lines, i + 1, l => l.Trim() == "```");
                Assert.That(end, Is.GreaterThan(i), $"{file}:{i + 1}: unclosed C# block");
                string marker = i > 0 ? lines[i - 1].Trim() : "";
                blocks.Add(new CSharpBlock(file, i + 1, marker, string.Join("\n", lines[(i + 1)..end])));
                i = end;
            }
        }
        return blocks;
    }

    private static IEnumerable<TestCaseData> Snippets() =>
        Blocks().Where(b => b.Marker.StartsWith("<!-- snippet", StringComparison.Ordinal)).Select(b => new TestCaseData(b).SetArgDisplayNames(b.ToString()));

    [Test]
    public void EveryCSharpBlockIsMarked()
    {
        var blocks = Blocks();

        Assert.That(blocks.Where(b => !b.Marker.StartsWith("<!-- snippet", StringComparison.Ordinal) && !b.Marker.StartsWith("<!-- not-a-snippet:", StringComparison.Ordinal)),
            Is.Empty, "mark each C# block '<!-- snippet -->' (compiled) or '<!-- not-a-snippet: why -->'");
        Assert.That(blocks.Count(b => b.Marker.StartsWith("<!-- snippet", StringComparison.Ordinal)), Is.GreaterThanOrEqualTo(2), "README's and getting-started's first tests");
    }

    [TestCaseSource(nameof(Snippets))]
    public void TheSnippetCompiles(CSharpBlock block)
    {
        var diagnostics = Compile(block.Code);

        Assert.That(diagnostics, Is.Empty, $"{block.File}:{block.Line}:\n{block.Code}");
    }

    [Test]
    public void TheCompilerCatchesTheOldGettingStartedMistake()
    {
        // The method named Spectrum() shadowed the Spectrum class: CS0119. The check must see such errors.
        var diagnostics = Compile("""
            using SpectralAssert.Assertions;
            public class EncoderTests
            {
                [Test]
                public void Spectrum() => Assert.That("m.safetensors", Spectrum.AllLayers.Are.Finite);
            }
            """);

        Assert.That(diagnostics, Has.Some.StartsWith("CS0119"));
    }

    /// <summary>The compiler errors of a snippet, as "CSxxxx: message (line)".</summary>
    private static List<string> Compile(string code)
    {
        var usings = Regex.Matches(code, @"^using [\w.]+;\s*$", RegexOptions.Multiline).Select(m => m.Value.Trim()).ToList();
        string body = Regex.Replace(code, @"^using [\w.]+;\s*$", "", RegexOptions.Multiline);
        bool hasType = Regex.IsMatch(body, @"\b(class|record|struct)\s+\w+");
        string source = string.Join("\n", ImplicitUsings.Select(u => $"global using {u};")) + "\n"
            + string.Join("\n", usings) + "\n"
            + (hasType ? body : "public class Snippet\n{\n" + body + "\n}\n");

        var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Concat(new[] { "SpectralAssert.dll", "TorchSharp.dll", "nunit.framework.dll" }.Select(f => Path.Combine(AppContext.BaseDirectory, f)))
            .Distinct(StringComparer.Ordinal)
            .Select(path => MetadataReference.CreateFromFile(path));
        var compilation = CSharpCompilation.Create("Snippet",
            [CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.Latest))],
            references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        return compilation.GetDiagnostics()
            .Where(d => d.Severity == DiagnosticSeverity.Error)
            .Select(d => $"{d.Id}: {d.GetMessage()} (line {d.Location.GetLineSpan().StartLinePosition.Line + 1})")
            .ToList();
    }
}
