using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using SpectralGate.Tests.Support;

namespace SpectralGate.Engine.Tests.Architecture;

/// <summary>
/// The engine's sources compiled with Roslyn, so that the architecture is checked on the symbols a file names (through a
/// <c>using</c>, a qualified name, a partly qualified one inside <c>namespace SpectralGate.Engine.*</c>, or an alias),
/// never on the text of its <c>using</c> lines. Documentation comments do not count: they load nothing.
/// </summary>
internal static class EngineSymbols
{
    public static string EngineRoot => Path.Combine(TestPaths.RepositoryRoot, "src", "SpectralGate.Engine");

    /// <summary>One type (or a member of it) named in a file.</summary>
    public sealed record Reference(string File, int Line, string FromFolder, ITypeSymbol Type)
    {
        /// <summary>The engine folder of the type (<c>Baselines</c>), or null for a type outside the engine.</summary>
        public string? ToFolder => FolderOf(Type);

        public override string ToString() => $"{File}:{Line} names {Type.ToDisplayString()}";
    }

    private static readonly Lazy<ImmutableArray<SyntaxTree>> Sources = new(() =>
    [
        .. Directory.GetFiles(EngineRoot, "*.cs", SearchOption.AllDirectories)
            .Where(f => !IsBuildOutput(f))
            .Select(f => Parse(File.ReadAllText(f), f)),
        // Generated from Sources/Onnx/onnx.proto by the build; part of the engine, named by the ONNX reader.
        .. Directory.GetFiles(Path.Combine(EngineRoot, "obj"), "Onnx.cs", SearchOption.AllDirectories).Take(1)
            .Select(f => Parse(File.ReadAllText(f), Path.Combine(EngineRoot, "Sources", "Onnx", "Onnx.g.cs"))),
    ]);

    public static SyntaxTree Parse(string text, string path) =>
        CSharpSyntaxTree.ParseText(text, new CSharpParseOptions(LanguageVersion.Preview), path);

    /// <summary>Every reference from a file of the engine (and of <paramref name="planted"/>) to a type, with the folder it sits in.</summary>
    public static IReadOnlyList<Reference> References(params SyntaxTree[] planted)
    {
        var compilation = CSharpCompilation.Create("SpectralGate.Engine.Architecture", [.. Sources.Value, .. planted], MetadataReferences(),
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, allowUnsafe: true, nullableContextOptions: NullableContextOptions.Enable));
        var references = new List<Reference>();
        foreach (var tree in compilation.SyntaxTrees)
        {
            string file = Path.GetRelativePath(EngineRoot, tree.FilePath).Replace('\\', '/');
            string from = file.Split('/')[0];
            var model = compilation.GetSemanticModel(tree);
            foreach (var name in tree.GetRoot().DescendantNodes().OfType<SimpleNameSyntax>())
            {
                ISymbol? symbol = model.GetSymbolInfo(name).Symbol ?? model.GetSymbolInfo(name).CandidateSymbols.FirstOrDefault();
                if (symbol is IAliasSymbol alias) symbol = alias.Target;
                ITypeSymbol? type = symbol switch
                {
                    ITypeSymbol t => t,
                    IMethodSymbol { ReducedFrom: { } extension } => extension.ContainingType,
                    { ContainingType: { } containing } and not INamespaceSymbol => containing,
                    _ => null,
                };
                if (type is not null) references.Add(new Reference(file, name.GetLocation().GetLineSpan().StartLinePosition.Line + 1, from, type));
            }
        }
        return references;
    }

    /// <summary>The engine folder a type is declared in: the namespace segment after <c>SpectralGate.Engine</c>.</summary>
    public static string? FolderOf(ITypeSymbol type)
    {
        while (type.ContainingType is { } outer) type = outer;
        if (type is IArrayTypeSymbol array) return FolderOf(array.ElementType);
        string ns = type.ContainingNamespace?.ToDisplayString() ?? "";
        return ns.StartsWith("SpectralGate.Engine.", StringComparison.Ordinal) ? ns["SpectralGate.Engine.".Length..].Split('.')[0] : null;
    }

    /// <summary>The namespace a type is declared in, for the rules about outside libraries (TorchSharp, NUnit, System.Console).</summary>
    public static string NamespaceOf(ITypeSymbol type) => type.ContainingNamespace?.ToDisplayString() ?? "";

    private static bool IsBuildOutput(string path)
    {
        string relative = Path.GetRelativePath(EngineRoot, path).Replace('\\', '/');
        return relative.StartsWith("bin/", StringComparison.Ordinal) || relative.StartsWith("obj/", StringComparison.Ordinal);
    }

    private static IEnumerable<MetadataReference> MetadataReferences()
    {
        var platform = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator);
        var libraries = new[] { typeof(TorchSharp.torch), typeof(MathNet.Numerics.Control), typeof(Google.Protobuf.MessageParser), typeof(System.IO.Hashing.NonCryptographicHashAlgorithm) }
            .Select(t => t.Assembly.Location);
        return platform.Concat(libraries).Distinct().Where(p => !Path.GetFileName(p).StartsWith("SpectralGate.", StringComparison.OrdinalIgnoreCase) && !Path.GetFileName(p).Equals("spectralgate.dll", StringComparison.OrdinalIgnoreCase))
            .Select(p => MetadataReference.CreateFromFile(p));
    }
}
