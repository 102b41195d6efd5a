namespace SpectralGate.Engine.Names;

/// <summary>
/// Which of a list of name globs matched at least one of the names seen, with the first few names as examples. A glob
/// the user wrote that matches nothing is a typo or a renamed layer; its callers refuse it (include globs: SG1014;
/// kind-map globs: an argument error), each with its own message, from this one record of the names as they stream by.
/// </summary>
public sealed class GlobUse
{
    private const int ExampleCount = 5;
    private readonly (string Pattern, NameGlob Glob)[] _globs;
    private readonly bool[] _matched;
    private readonly List<string> _examples = [];

    public GlobUse(IEnumerable<string> patterns)
    {
        _globs = patterns.Select(g => (g, new NameGlob(g))).ToArray();
        _matched = new bool[_globs.Length];
    }

    /// <summary>Records the globs <paramref name="name"/> matches.</summary>
    public void See(string name)
    {
        for (int i = 0; i < _globs.Length; i++)
            if (!_matched[i] && _globs[i].Glob.IsMatch(name)) _matched[i] = true;
        if (_examples.Count < ExampleCount) _examples.Add(name);
    }

    /// <summary>The globs that matched none of the names seen, in the order given.</summary>
    public IReadOnlyList<string> Unmatched => _globs.Where((_, i) => !_matched[i]).Select(g => g.Pattern).ToList();

    /// <summary>The first names seen, to show what the model's names look like.</summary>
    public IReadOnlyList<string> Examples => _examples;
}
