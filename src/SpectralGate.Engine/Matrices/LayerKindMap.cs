using SpectralGate.Engine.Names;

namespace SpectralGate.Engine.Matrices;

/// <summary>
/// The user's word on what layers are: name globs mapped to weight kinds, first match wins, over the module's class and
/// the name rule (docs/layer-kinds.md). Written as <c>glob=kind;glob=kind</c> (CLI <c>--layer-kind glob=kind</c>, the
/// signature setting <c>layer_kinds</c>).
/// </summary>
public sealed class LayerKindMap
{
    /// <summary>The kinds a weight may be given; probe kinds belong to probes.</summary>
    public static readonly IReadOnlyList<LayerKind> WeightKinds = [LayerKind.Linear, LayerKind.Conv, LayerKind.Embedding, LayerKind.AttentionProjection, LayerKind.Expert];

    public static readonly LayerKindMap Empty = new([]);

    private readonly (NameGlob Glob, LayerKind Kind)[] _rules;

    public LayerKindMap(IEnumerable<(string Glob, LayerKind Kind)> rules)
    {
        _rules = rules.Select(r =>
        {
            if (!WeightKinds.Contains(r.Kind))
                throw new ArgumentException($"layer kind map: '{r.Glob}' is mapped to '{r.Kind.ToJsonName()}', a probe kind; weights take {Names()}.");
            return (new NameGlob(r.Glob), r.Kind);
        }).ToArray();
    }

    public bool IsEmpty => _rules.Length == 0;

    /// <summary>Parses <c>glob=kind</c> entries (each may also hold several, separated by ';').</summary>
    public static LayerKindMap Parse(IEnumerable<string> entries)
    {
        var rules = new List<(string, LayerKind)>();
        foreach (string entry in entries.SelectMany(e => e.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
        {
            int eq = entry.LastIndexOf('=');
            if (eq <= 0 || eq == entry.Length - 1)
                throw new ArgumentException($"layer kind map: '{entry}' is not GLOB=KIND (e.g. 'tok.weight=embedding'); kinds: {Names()}.");
            string glob = entry[..eq].Trim(), name = entry[(eq + 1)..].Trim();
            LayerKind kind;
            try
            {
                kind = LayerKinds.FromJsonName(name);
            }
            catch (ArgumentException)
            {
                throw new ArgumentException($"layer kind map: '{name}' in '{entry}' is not a layer kind; kinds: {Names()}.");
            }
            rules.Add((glob, kind));
        }
        return new LayerKindMap(rules);
    }

    /// <summary>The kind the first matching glob gives <paramref name="name"/>, or null when none matches.</summary>
    public LayerKind? KindOf(string name)
    {
        foreach (var (glob, kind) in _rules)
            if (glob.IsMatch(name)) return kind;
        return null;
    }

    /// <summary>The globs, in rule order.</summary>
    public IEnumerable<string> Patterns => _rules.Select(r => r.Glob.Pattern);

    /// <summary>The canonical text, in rule order: <c>glob=kind;glob=kind</c>.</summary>
    public string Describe() => string.Join(";", _rules.Select(r => $"{r.Glob.Pattern}={r.Kind.ToJsonName()}"));

    private static string Names() => string.Join(", ", WeightKinds.Select(k => k.ToJsonName()));
}
