using SpectralGate.Engine.Metrics;
using SpectralGate.Engine.Probes;
using SpectralAssert.Trajectories;
using SpectralGate.Engine.Trajectories;

namespace Grokking;

/// <summary>
/// The one-seed grokking run and its control, recorded with the training monitor's cheap tier and activation probes: the
/// run memorises early and generalises late, a weight spectrum (the embedding's stable rank) and an activation spectrum
/// (the hidden layer's participation ratio) show a transition during the held-out accuracy's climb, and the control
/// (weight decay 0) memorises, never generalises and shows none. Numbers: README.md and docs/training.md.
/// </summary>
[TestFixture]
public sealed class GrokkingTests
{
    /// <summary>The cheap-tier statistics the 5-seed benchmark found separating in every seed (docs/training.md, "Grokking walk-through").</summary>
    private static readonly GrokkingStatistic[] Separating =
    [
        new("embed.weight", MetricNames.StableRank),
        new(ActivationProbe.Prefix + GrokkingRecording.ProbedModule, ProbeMetricNames.ParticipationRatio),
    ];

    /// <summary>"Near the jump": from 200 steps before held-out accuracy first reaches 10 % to 200 steps after it first reaches 90 %.</summary>
    private const int Margin = 200;

    // Each run is 1,600 full-batch steps: recorded once, shared by the tests that read it.
    private static readonly Lazy<GrokkingRecording> Grokking = new(() => Record(GrokkingSample.Settings));
    private static readonly Lazy<GrokkingRecording> Control = new(() => Record(GrokkingSample.Settings.Control()));

    private static GrokkingRecording Record(GrokkingSettings settings) =>
        GrokkingRecording.Record(settings, GrokkingSample.RecordEvery, fullEvery: 0, probes: true);

    [Test]
    public void Grokking_run_memorises_early_and_generalises_hundreds_of_steps_later()
    {
        var run = Grokking.Value;
        long? memorised = GrokkingTransition.MemorisedStep(run.Trajectory);
        Assert.That(memorised, Is.Not.Null.And.LessThanOrEqualTo(300), "train accuracy should reach 99 % within 300 steps");
        Assert.That(run.GrokkedStep, Is.Not.Null, $"held-out accuracy never reached 90 % (final {run.Curve[^1].TestAccuracy:P1})");
        Assert.That(run.GrokkedStep - memorised, Is.GreaterThanOrEqualTo(500), "generalisation should lag memorisation by hundreds of steps");
        Assert.That(run.Curve.Single(s => s.Step == memorised).TestAccuracy, Is.LessThan(0.05), "held-out accuracy at memorisation should be near chance");
    }

    [Test]
    public void Control_without_weight_decay_memorises_and_never_generalises()
    {
        var run = Control.Value;
        Assert.That(GrokkingTransition.MemorisedStep(run.Trajectory), Is.Not.Null.And.LessThanOrEqualTo(300));
        Assert.That(run.Curve.Max(s => s.TestAccuracy), Is.LessThan(0.05), "the control should never generalise");
    }

    [TestCaseSource(nameof(Separating))]
    public void Spectrum_shows_a_transition_while_held_out_accuracy_climbs(GrokkingStatistic statistic)
    {
        var trajectory = Grokking.Value.Trajectory;
        long memorised = GrokkingTransition.MemorisedStep(trajectory) ?? throw new AssertionException("train accuracy never reached 99 %");
        long climbStart = GrokkingTransition.TestAccuracyStep(trajectory, 0.1) ?? throw new AssertionException("held-out accuracy never reached 10 %");
        long grokked = GrokkingTransition.TestAccuracyStep(trajectory, GrokkingTransition.Grokked) ?? throw new AssertionException("held-out accuracy never reached 90 %");

        // The product's assertion: a change point that moves the series by at least 10 %, in the window, from memorisation on.
        Assert.That(trajectory, Training.Layers(l => l.Name == statistic.Layer, statistic.Layer!).Metric(statistic.Metric)
            .HasTransitionBetween(climbStart - Margin, grokked + Margin, GrokkingTransition.Options).After(memorised));
    }

    [TestCaseSource(nameof(Separating))]
    public void Control_shows_no_transition(GrokkingStatistic statistic)
    {
        var control = Control.Value.Trajectory;
        long memorised = GrokkingTransition.MemorisedStep(control) ?? throw new AssertionException("the control never memorised");
        Assert.That(control, Training.Layers(l => l.Name == statistic.Layer, statistic.Layer!).Metric(statistic.Metric)
            .HasNoTransition(GrokkingTransition.Options).After(memorised));
    }

    [Test]
    public void Same_settings_record_the_same_curves_and_spectra()
    {
        var settings = GrokkingSample.Settings with { Steps = 200 };
        var first = GrokkingRecording.Record(settings, GrokkingSample.RecordEvery, fullEvery: 5, probes: true);
        var second = GrokkingRecording.Record(settings, GrokkingSample.RecordEvery, fullEvery: 5, probes: true);
        Assert.That(second.Curve, Is.EqualTo(first.Curve));
        Assert.That(Flatten(second.Trajectory), Is.EqualTo(Flatten(first.Trajectory)));
        Assert.That(Flatten(first.Trajectory), Has.Some.StartsWith("200 full hidden.weight alpha"), "the full tier and its metrics were recorded");
        Assert.That(Flatten(first.Trajectory), Has.Some.StartsWith($"200 cheap {ActivationProbe.Prefix}hidden participation_ratio"), "the probes were recorded");
    }

    /// <summary>Every number of a trajectory as "step tier layer metric value" lines, values in round-trip form.</summary>
    private static List<string> Flatten(Trajectory trajectory) =>
        trajectory.Records.SelectMany(r =>
                r.Layers.SelectMany(l => l.Metrics.Select(m => $"{r.Step} {r.Tier} {l.Name} {m.Key} {m.Value?.ToString("R", System.Globalization.CultureInfo.InvariantCulture) ?? "null"}"))
                    .Concat(r.Scalars.Select(s => $"{r.Step} {r.Tier} scalar {s.Key} {s.Value.ToString("R", System.Globalization.CultureInfo.InvariantCulture)}")))
            .ToList();
}
