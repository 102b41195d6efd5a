using SpectralGate.Engine.Errors;
using SpectralGate.Engine.Names;

namespace SpectralGate.Engine.Sources;

/// <summary>
/// Which include globs of a selection matched a tensor of one model. An include glob that matches nothing is a typo or
/// a renamed layer: the rest of the selection would pass while that part is never gated, so it is an error (SG1014,
/// exit 2). Exclude globs are not checked: excluding what a model lacks is legitimate (one list for several models).
/// </summary>
public sealed class IncludeGlobUse(IEnumerable<string> includes)
{
    private readonly (string Pattern, NameGlob Glob)[] _globs = includes.Select(g => (g, new NameGlob(g))).ToArray();
    private readonly bool[] _matched = new bool[includes.Count()];
    private readonly List<string> _examples = [];

    /// <summary>Records the globs <paramref name="tensorName"/> matches.</summary>
    public void See(string tensorName)
    {
        for (int i = 0; i < _globs.Length; i++)
            if (!_matched[i] && _globs[i].Glob.IsMatch(tensorName)) _matched[i] = true;
        if (_examples.Count < 5) _examples.Add(tensorName);
    }

    /// <summary>Throws, naming the model and each glob, when an include glob matched no tensor.</summary>
    public void ThrowIfAnyUnmatched(string filePath)
    {
        var unmatched = _globs.Where((_, i) => !_matched[i]).Select(g => $"'{g.Pattern}'").ToList();
        if (unmatched.Count == 0) return;
        string examples = _examples.Count == 0 ? "" : $" (its tensors are named like {string.Join(", ", _examples)})";
        throw new NothingAnalysedException(filePath,
            $"nothing analysed for the include glob{(unmatched.Count > 1 ? "s" : "")} {string.Join(", ", unmatched)}: no tensor of the model matches{examples}. Fix the glob ('*' within a name segment, '**' across).");
    }
}
