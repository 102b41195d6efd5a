using SpectralGate.Engine.Names;
using SpectralGate.Engine.Metrics;
using SpectralGate.Engine.Signatures;

namespace SpectralGate.Engine.Baselines;

/// <summary>
/// Compares a signature with a baseline, metric by metric, under a <see cref="TolerancePolicy"/>. A metric on one side
/// only is a <see cref="MetricNote"/>, not a finding, so baselines survive releases that add or drop metrics.
/// </summary>
public static class SignatureComparer
{
    /// <summary>The findings of <paramref name="actual"/> against <paramref name="baseline"/> under <paramref name="policy"/>;
    /// with <paramref name="failOnEquivalentChange"/>, also one (<see cref="FindingKind.EquivalentChange"/>) per layer whose
    /// values changed with every metric within tolerance.</summary>
    public static SignatureComparison Compare(SpectralSignature baseline, SpectralSignature actual, TolerancePolicy? policy = null, bool failOnEquivalentChange = false)
    {
        policy ??= new TolerancePolicy();
        var findings = new List<Finding>();

        foreach (var key in baseline.Settings.Keys.Union(actual.Settings.Keys).OrderBy(k => k, StringComparer.Ordinal))
        {
            string? b = baseline.Settings.GetValueOrDefault(key);
            string? a = actual.Settings.GetValueOrDefault(key);
            if (b != a)
                findings.Add(new Finding(FindingKind.SettingsChanged, "(settings)", key, null, null, null,
                    $"setting '{key}' is '{a ?? "(absent)"}' but the baseline was computed with '{b ?? "(absent)"}'"
                    + (SettingRestoreHint.For(key, b) is { } hint ? $" ({hint} to compute as it was)" : "")));
        }

        var actualLayers = actual.Layers.ToDictionary(l => l.Name, StringComparer.Ordinal);
        var oneSided = new SortedDictionary<(string Metric, bool InBaseline), int>(Comparer<(string Metric, bool InBaseline)>.Create(
            (x, y) => string.CompareOrdinal(x.Metric, y.Metric) is int c && c != 0 ? c : x.InBaseline.CompareTo(y.InBaseline)));
        bool float32 = actual.Settings.GetValueOrDefault("precision") == "float32";
        int compared = 0;
        var changes = new SortedDictionary<string, LayerChange>(NaturalNameComparer.Instance);
        foreach (var expected in baseline.Layers)
        {
            if (!actualLayers.Remove(expected.Name, out var layer))
            {
                findings.Add(new Finding(FindingKind.StructuralChange, expected.Name, null, null, null, null,
                    $"layer removed (baseline shape [{string.Join(", ", expected.Shape)}])"));
                continue;
            }
            if (!expected.Shape.SequenceEqual(layer.Shape))
            {
                findings.Add(new Finding(FindingKind.StructuralChange, expected.Name, null, null, null, null,
                    $"layer reshaped from [{string.Join(", ", expected.Shape)}] to [{string.Join(", ", layer.Shape)}]"));
                continue;
            }
            compared++;
            int before = findings.Count;
            CompareMetrics(expected, layer, policy, float32, findings, oneSided);
            if (EsdComparison.Compare(expected, layer, policy) is { } esd) findings.Add(esd);
            else if ((expected.EsdQuantiles is null) != (layer.EsdQuantiles is null))
                oneSided[(MetricNames.EsdDistance, layer.EsdQuantiles is null)] = oneSided.GetValueOrDefault((MetricNames.EsdDistance, layer.EsdQuantiles is null)) + 1;
            CompareLabels(expected, layer, findings);
            var change = changes[expected.Name] = LayerChanges.Classify(expected, layer, findings.Count > before);
            if (change == LayerChange.SpectrallyEquivalent && failOnEquivalentChange) findings.Add(LayerChanges.EquivalentChangeFinding(expected, layer));
        }
        foreach (var added in actualLayers.Values.OrderBy(l => l.Name, NaturalNameComparer.Instance))
            findings.Add(new Finding(FindingKind.StructuralChange, added.Name, null, null, null, null,
                $"layer added (shape [{string.Join(", ", added.Shape)}])"));

        return new SignatureComparison(findings, compared, oneSided.Select(p => new MetricNote(p.Key.Metric, p.Key.InBaseline, p.Value)).ToList(), changes);
    }

    private static void CompareMetrics(LayerSignature expected, LayerSignature actual, TolerancePolicy policy, bool float32,
        List<Finding> findings, SortedDictionary<(string Metric, bool InBaseline), int> oneSided)
    {
        foreach (var metric in expected.Metrics.Keys.Union(actual.Metrics.Keys).OrderBy(k => k, StringComparer.Ordinal))
        {
            double? e = expected[metric];
            double? a = actual[metric];
            // Float32 rank metrics were numbers before this release measured them as undefined: no longer computed.
            bool dropped = !actual.Metrics.ContainsKey(metric) || (float32 && a is null && SpectrumMetrics.Float32Undefined.Contains(metric));
            if (dropped || !expected.Metrics.ContainsKey(metric))
            {
                if (e is not null || a is not null) oneSided[(metric, dropped)] = oneSided.GetValueOrDefault((metric, dropped)) + 1;
                continue;
            }
            if (e is null && a is null) continue;
            Tolerance tolerance = policy.Resolve(expected.Name, metric);
            if (e is null || a is null)
            {
                findings.Add(new Finding(FindingKind.Regression, expected.Name, metric, e, a, tolerance,
                    e is null ? "metric became defined" : "metric became undefined"));
                continue;
            }
            if (!tolerance.Accepts(e.Value, a.Value))
                findings.Add(new Finding(FindingKind.Regression, expected.Name, metric, e, a, tolerance, "beyond tolerance"));
        }
    }

    /// <summary>
    /// Labels that mark a broken layer rather than a position on a scale; threshold labels (over_trained, ...) are
    /// not compared, since a metric within tolerance may still cross their threshold.
    /// </summary>
    private static readonly string[] StateLabels = ["non_finite", "degenerate"];

    private static void CompareLabels(LayerSignature expected, LayerSignature actual, List<Finding> findings)
    {
        foreach (var label in actual.Labels.Except(expected.Labels).Where(StateLabels.Contains).OrderBy(l => l, StringComparer.Ordinal))
            findings.Add(new Finding(FindingKind.Regression, expected.Name, "label:" + label, null, null, null, $"now labelled '{label}'"));
        foreach (var label in expected.Labels.Except(actual.Labels).Where(StateLabels.Contains).OrderBy(l => l, StringComparer.Ordinal))
            findings.Add(new Finding(FindingKind.Regression, expected.Name, "label:" + label, null, null, null, $"no longer labelled '{label}'"));
    }
}
