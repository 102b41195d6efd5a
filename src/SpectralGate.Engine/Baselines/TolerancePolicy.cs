using SpectralGate.Engine.Names;
using SpectralGate.Engine.Sources;

namespace SpectralGate.Engine.Baselines;

/// <summary>One override: a metric (or <c>*</c>) on the layers matching a glob gets this tolerance.</summary>
public sealed record ToleranceRule(string LayerGlob, string Metric, Tolerance Tolerance);

/// <summary>
/// The tolerances a comparison uses: <see cref="ToleranceDefaults"/>, then the rules in order (the last matching
/// rule wins, like .editorconfig sections). Recorded in the baseline so reviewers see what was accepted.
/// </summary>
public sealed class TolerancePolicy
{
    private readonly List<(ToleranceRule Rule, NameGlob Glob)> _rules = [];

    public IReadOnlyList<ToleranceRule> Rules => _rules.Select(r => r.Rule).ToList();

    /// <summary>Sets the tolerance of <paramref name="metric"/> (or <c>*</c> for all) on layers matching <paramref name="layerGlob"/>.</summary>
    public TolerancePolicy For(string layerGlob, string metric, double absolute, double relative)
    {
        _rules.Add((new ToleranceRule(layerGlob, metric, new Tolerance(absolute, relative)), new NameGlob(layerGlob)));
        return this;
    }

    /// <summary>Sets the tolerance of <paramref name="metric"/> on every layer.</summary>
    public TolerancePolicy For(string metric, double absolute, double relative) => For("**", metric, absolute, relative);

    public Tolerance Resolve(string layer, string metric)
    {
        for (int i = _rules.Count - 1; i >= 0; i--)
        {
            var (rule, glob) = _rules[i];
            if ((rule.Metric == "*" || rule.Metric == metric) && glob.IsMatch(layer)) return rule.Tolerance;
        }
        return ToleranceDefaults.For(metric);
    }

    public static TolerancePolicy FromRules(IEnumerable<ToleranceRule> rules)
    {
        var policy = new TolerancePolicy();
        foreach (var r in rules) policy.For(r.LayerGlob, r.Metric, r.Tolerance.Absolute, r.Tolerance.Relative);
        return policy;
    }
}
