using SpectralGate.Engine.Names;
using System.Text.RegularExpressions;
using SpectralGate.Engine.Matrices;
using SpectralGate.Engine.Signatures;
using SpectralGate.Engine.Sources;

namespace SpectralAssert.Assertions;

/// <summary>Which layers of a signature an assertion is about: by glob, regex, kind or predicate, combined with AND.</summary>
public sealed class LayerSelector
{
    private readonly List<(string Description, Func<LayerSignature, bool> Predicate)> _filters = [];

    public static LayerSelector All => new();

    public LayerSelector Glob(string pattern)
    {
        var glob = new NameGlob(pattern);
        return With($"matching \"{pattern}\"", l => glob.IsMatch(l.Name));
    }

    public LayerSelector Regex(Regex regex) => With($"matching /{regex}/", l => regex.IsMatch(l.Name));

    public LayerSelector Kind(LayerKind kind) => With($"of kind {kind.ToJsonName()}", l => l.Kind == kind);

    public LayerSelector Where(Func<LayerSignature, bool> predicate, string description = "matching a predicate") => With(description, predicate);

    public IReadOnlyList<LayerSignature> Select(SpectralSignature signature) =>
        signature.Layers.Where(l => _filters.All(f => f.Predicate(l))).ToList();

    internal bool Matches(LayerSignature layer) => _filters.All(f => f.Predicate(layer));

    public string Describe() => _filters.Count == 0 ? "all layers" : "layers " + string.Join(" and ", _filters.Select(f => f.Description));

    private LayerSelector With(string description, Func<LayerSignature, bool> predicate)
    {
        var copy = new LayerSelector();
        copy._filters.AddRange(_filters);
        copy._filters.Add((description, predicate));
        return copy;
    }
}
