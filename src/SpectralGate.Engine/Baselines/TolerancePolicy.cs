using SpectralGate.Engine.Metrics;
using SpectralGate.Engine.Names;

namespace SpectralGate.Engine.Baselines;

/// <summary>
/// The tolerances a comparison uses: the rules in order (the last matching rule wins, like .editorconfig sections),
/// then the defaults a baseline recorded, then <see cref="ToleranceDefaults"/> (<see cref="RecordedTolerances.Resolve"/>).
/// Recorded in the baseline so reviewers see what was accepted.
/// </summary>
public sealed class TolerancePolicy
{
    private readonly List<(ToleranceRule Rule, NameGlob Glob)> _rules = [];

    public IReadOnlyList<ToleranceRule> Rules => _rules.Select(r => r.Rule).ToList();

    /// <summary>Sets the tolerance of <paramref name="metric"/> (or <c>*</c> for all) on layers matching <paramref name="layerGlob"/>.</summary>
    /// <exception cref="ArgumentException">An unknown metric (a typo would never apply), naming the nearest known one.</exception>
    public TolerancePolicy For(string layerGlob, string metric, double absolute, double relative)
    {
        if (!ToleranceMetricNames.IsKnown(metric)) throw new ArgumentException(ToleranceMetricNames.Unknown(metric), nameof(metric));
        return Add(layerGlob, metric, absolute, relative);
    }

    // Rules read from a baseline are not checked here: one written by a later release may name a metric this one lacks.
    private TolerancePolicy Add(string layerGlob, string metric, double absolute, double relative)
    {
        _rules.Add((new ToleranceRule(layerGlob, metric, new Tolerance(absolute, relative)), new NameGlob(layerGlob)));
        return this;
    }

    /// <summary>Sets the tolerance of <paramref name="metric"/> on every layer.</summary>
    public TolerancePolicy For(string metric, double absolute, double relative) => For("**", metric, absolute, relative);

    private IReadOnlyDictionary<string, Tolerance> _defaults = new Dictionary<string, Tolerance>(StringComparer.Ordinal);

    /// <summary>The last matching rule, else the baseline's recorded default for the metric, else <see cref="ToleranceDefaults"/>.</summary>
    public Tolerance Resolve(string layer, string metric)
    {
        for (int i = _rules.Count - 1; i >= 0; i--)
        {
            var (rule, glob) = _rules[i];
            if ((rule.Metric == "*" || rule.Metric == metric) && glob.IsMatch(layer)) return rule.Tolerance;
        }
        return _defaults.TryGetValue(metric, out var recorded) ? recorded : ToleranceDefaults.For(metric);
    }

    /// <param name="rules">In order: the last matching rule wins.</param>
    /// <param name="recordedDefaults">Per-metric defaults recorded in a baseline, used before the built-in ones.</param>
    public static TolerancePolicy FromRules(IEnumerable<ToleranceRule> rules, IReadOnlyDictionary<string, Tolerance>? recordedDefaults = null)
    {
        var policy = new TolerancePolicy();
        if (recordedDefaults is not null) policy._defaults = recordedDefaults;
        foreach (var r in rules) policy.Add(r.LayerGlob, r.Metric, r.Tolerance.Absolute, r.Tolerance.Relative);
        return policy;
    }
}
