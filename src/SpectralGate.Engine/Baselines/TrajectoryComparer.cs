using System.Globalization;
using SpectralGate.Engine.Names;
using SpectralGate.Engine.Signatures;
using SpectralGate.Engine.Trajectories;

namespace SpectralGate.Engine.Baselines;

/// <summary>
/// Compares a trajectory with its baseline, point by point: each (layer, metric) at each step against the baseline's
/// band there, widened by the metric's tolerance (<see cref="TolerancePolicy"/>, as signatures are judged). Steps are
/// lined up as <see cref="StepMatching"/> says. Nothing passes silently: a baseline step the run lacks, a step outside
/// the baseline's range, a layer added, removed or reshaped are findings; what is not compared is counted in a note.
/// </summary>
public static class TrajectoryComparer
{
    public static TrajectoryComparison Compare(TrajectoryBaseline baseline, Trajectory actual, TolerancePolicy? policy = null, StepMatching matching = StepMatching.Recorded)
    {
        ArgumentNullException.ThrowIfNull(baseline);
        ArgumentNullException.ThrowIfNull(actual);
        policy ??= new TolerancePolicy();
        var run = new Run(baseline, actual, policy, matching);
        run.CompareSettings();
        run.CompareStructure();
        foreach (string tier in baseline.Reference.Records.Select(r => r.Tier).Distinct().Order(StringComparer.Ordinal)) run.CompareTier(tier);
        foreach (string tier in actual.Records.Select(r => r.Tier).Distinct().Except(baseline.Reference.Records.Select(r => r.Tier)).Order(StringComparer.Ordinal))
            run.Note($"{actual.Records.Count(r => r.Tier == tier)} records of the {tier} tier, which the baseline has none of, not compared");
        return run.Result();
    }

    private sealed class Run(TrajectoryBaseline baseline, Trajectory actual, TolerancePolicy policy, StepMatching matching)
    {
        private readonly List<TrajectoryFinding> _findings = [];
        private readonly List<string> _notes = [];
        private readonly SortedDictionary<(string Metric, bool InBaseline), int> _oneSided = new();
        private readonly HashSet<string> _structural = new(StringComparer.Ordinal);
        private int _points, _notComparable;
        private readonly SortedSet<(string Tier, long Step)> _steps = new();

        public void Note(string note) => _notes.Add(note);

        public void CompareSettings()
        {
            foreach (var key in baseline.Reference.Settings.Keys.Union(actual.Settings.Keys).Order(StringComparer.Ordinal))
            {
                string? b = baseline.Reference.Settings.GetValueOrDefault(key);
                string? a = actual.Settings.GetValueOrDefault(key);
                if (b != a)
                    _findings.Add(new TrajectoryFinding(FindingKind.SettingsChanged, TrajectoryTiers.Full, null, key, null, null, null, null, null, false,
                        $"setting '{key}' is '{a ?? "(absent)"}' but the baseline was recorded with '{b ?? "(absent)"}'"
                        + (SettingRestoreHint.For(key, b) is { } hint ? $" ({hint} to compute as it was)" : "")));
            }
        }

        public void CompareStructure()
        {
            var expected = Shapes(baseline.Reference);
            var found = Shapes(actual);
            foreach (var (name, shape) in expected)
            {
                if (!found.TryGetValue(name, out var other))
                    Structural(name, $"layer removed (baseline shape [{string.Join(", ", shape)}])");
                else if (!shape.SequenceEqual(other))
                    Structural(name, $"layer reshaped from [{string.Join(", ", shape)}] to [{string.Join(", ", other)}]");
            }
            foreach (var (name, shape) in found)
                if (!expected.ContainsKey(name)) Structural(name, $"layer added (shape [{string.Join(", ", shape)}])");
        }

        private void Structural(string layer, string message)
        {
            _structural.Add(layer);
            _findings.Add(new TrajectoryFinding(FindingKind.StructuralChange, TrajectoryTiers.Full, layer, null, null, null, null, null, null, false, message));
        }

        /// <summary>Each layer's shape where it first appears: shapes do not change during training.</summary>
        private static SortedDictionary<string, long[]> Shapes(Trajectory t)
        {
            var shapes = new SortedDictionary<string, long[]>(NaturalNameComparer.Instance);
            foreach (var layer in t.Records.OrderBy(r => r.Step).SelectMany(r => r.Layers)) shapes.TryAdd(layer.Name, layer.Shape);
            return shapes;
        }

        public void CompareTier(string tier)
        {
            var expected = baseline.Reference.Records.Where(r => r.Tier == tier).OrderBy(r => r.Step).ToList();
            var recorded = actual.Records.Where(r => r.Tier == tier).OrderBy(r => r.Step).ToList();
            var byStep = recorded.ToDictionary(r => r.Step);
            if (matching == StepMatching.Recorded)
            {
                var baseSteps = expected.Select(r => r.Step).ToHashSet();
                foreach (TrajectoryRecord e in expected)
                {
                    if (byStep.TryGetValue(e.Step, out var a)) CompareRecord(tier, e, a, interpolate: false);
                    else Missing(tier, e.Step, "is not recorded in this run");
                }
                var extra = recorded.Where(r => !baseSteps.Contains(r.Step)).Select(r => r.Step).ToList();
                if (extra.Count > 0)
                    Note(string.Create(CultureInfo.InvariantCulture, $"{extra.Count} {tier}-tier steps recorded here but not in the baseline (first {extra[0]}) were not compared; interpolated step matching compares them"));
                return;
            }

            long first = expected[0].Step, last = expected[^1].Step;
            if (recorded.Count == 0)
            {
                foreach (var e in expected) Missing(tier, e.Step, "is not covered: this run has no records of this tier");
                return;
            }
            foreach (var e in expected.Where(e => e.Step < recorded[0].Step || e.Step > recorded[^1].Step))
                Missing(tier, e.Step, string.Create(CultureInfo.InvariantCulture, $"lies outside this run's steps [{recorded[0].Step}, {recorded[^1].Step}]"));
            foreach (TrajectoryRecord a in recorded)
            {
                if (a.Step < first || a.Step > last)
                {
                    _findings.Add(new TrajectoryFinding(FindingKind.StructuralChange, tier, null, null, a.Step, null, null, null, null, false,
                        string.Create(CultureInfo.InvariantCulture, $"step {a.Step} lies outside the baseline's steps [{first}, {last}]; a baseline is never extrapolated")));
                    continue;
                }
                // The layers expected at a step between two records: those of the record at or before it.
                TrajectoryRecord e = expected.Last(r => r.Step <= a.Step);
                CompareRecord(tier, e, a, interpolate: true);
            }
        }

        private void Missing(string tier, long step, string what) =>
            _findings.Add(new TrajectoryFinding(FindingKind.StructuralChange, tier, null, null, step, null, null, null, null, false,
                string.Create(CultureInfo.InvariantCulture, $"baseline step {step} {what}")));

        private void CompareRecord(string tier, TrajectoryRecord expected, TrajectoryRecord recorded, bool interpolate)
        {
            _steps.Add((tier, recorded.Step));
            foreach (LayerSignature e in expected.Layers)
            {
                if (_structural.Contains(e.Name)) continue;
                if (recorded.Layer(e.Name) is not { } a)
                {
                    _findings.Add(new TrajectoryFinding(FindingKind.StructuralChange, tier, e.Name, null, recorded.Step, null, null, null, null, false,
                        string.Create(CultureInfo.InvariantCulture, $"layer not recorded at step {recorded.Step}, where the baseline has it")));
                    continue;
                }
                CompareLayer(tier, recorded.Step, e, a, interpolate);
            }
            foreach (LayerSignature a in recorded.Layers.Where(l => !_structural.Contains(l.Name) && expected.Layer(l.Name) is null))
                _findings.Add(new TrajectoryFinding(FindingKind.StructuralChange, tier, a.Name, null, recorded.Step, null, null, null, null, false,
                    string.Create(CultureInfo.InvariantCulture, $"layer recorded at step {recorded.Step}, where the baseline does not have it")));
        }

        private void CompareLayer(string tier, long step, LayerSignature expected, LayerSignature recorded, bool interpolate)
        {
            foreach (string metric in expected.Metrics.Keys.Union(recorded.Metrics.Keys).Order(StringComparer.Ordinal))
            {
                var series = baseline.Series(expected.Name, metric, tier);
                bool inActual = recorded.Metrics.ContainsKey(metric);
                if (series is null || !inActual)
                {
                    if (series is not null || inActual) _oneSided[(metric, series is not null)] = _oneSided.GetValueOrDefault((metric, series is not null)) + 1;
                    continue;
                }
                var (point, interpolated) = BandAt(series, step, interpolate);
                if (point is not { } p)
                {
                    _notComparable++;
                    continue;
                }
                _points++;
                Tolerance tolerance = policy.Resolve(expected.Name, metric);
                double? a = recorded[metric];
                string? problem = p.Mean is null ? (a is null ? null : "metric became defined (undefined in every baseline run)")
                    : a is not double value ? (p.Undefined > 0 ? null : "metric became undefined")
                    : p.Accepts(value, tolerance) ? null : "outside the baseline's band";
                if (problem is not null)
                    _findings.Add(new TrajectoryFinding(FindingKind.Regression, tier, expected.Name, metric, step, p.Mean, a, p, tolerance, interpolated, problem));
            }
        }

        /// <summary>The band at <paramref name="step"/>: recorded there, or interpolated between its neighbours; null when it cannot be judged there.</summary>
        private (BandPoint? Point, bool Interpolated) BandAt(IReadOnlyList<BandPoint> series, long step, bool interpolate)
        {
            int lo = 0, hi = series.Count - 1;
            while (lo <= hi)
            {
                int mid = (lo + hi) >>> 1;
                if (series[mid].Step == step) return (series[mid], false);
                if (series[mid].Step < step) lo = mid + 1; else hi = mid - 1;
            }
            // lo is the first point after step.
            if (!interpolate || lo == 0 || lo == series.Count) return (null, false);
            return (LogStepInterpolation.Between(series[lo - 1], series[lo], step), true);
        }

        public TrajectoryComparison Result()
        {
            foreach (var ((metric, inBaseline), count) in _oneSided)
                _notes.Add(inBaseline
                    ? $"metric '{metric}' is in the baseline but not in this run ({count} points), not compared"
                    : $"metric '{metric}' is not in the baseline ({count} points), not compared");
            if (_notComparable > 0)
                _notes.Add(string.Create(CultureInfo.InvariantCulture, $"{_notComparable} points not compared: the metric is undefined on one side of the baseline steps around them, or missing there"));
            return new TrajectoryComparison(baseline, policy, _findings, _points, _steps.Count, _notes);
        }
    }
}
