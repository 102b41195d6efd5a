using System.Text;
using System.Text.RegularExpressions;

namespace SpectralGate.Engine.Names;

/// <summary>
/// Glob over dotted tensor names: <c>*</c> matches within one name segment (no '.'), <c>**</c> matches across
/// segments, <c>?</c> matches one character. <c>blocks.*.fc1.weight</c> matches <c>blocks.3.fc1.weight</c>.
/// </summary>
public sealed class NameGlob
{
    private readonly Regex _regex;

    public NameGlob(string pattern)
    {
        Pattern = pattern;
        var sb = new StringBuilder("^");
        for (int i = 0; i < pattern.Length; i++)
        {
            char c = pattern[i];
            if (c == '*' && i + 1 < pattern.Length && pattern[i + 1] == '*') { sb.Append(".*"); i++; }
            else if (c == '*') sb.Append(@"[^.]*");
            else if (c == '?') sb.Append('.');
            else sb.Append(Regex.Escape(c.ToString()));
        }
        sb.Append('$');
        _regex = new Regex(sb.ToString(), RegexOptions.CultureInvariant | RegexOptions.Compiled, TimeSpan.FromSeconds(1));
    }

    public string Pattern { get; }

    public bool IsMatch(string name) => _regex.IsMatch(name);

    public override string ToString() => Pattern;
}
