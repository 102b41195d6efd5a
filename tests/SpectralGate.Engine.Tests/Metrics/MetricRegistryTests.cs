using SpectralGate.Engine.Baselines;
using SpectralGate.Engine.Deltas;
using SpectralGate.Engine.Matrices;
using SpectralGate.Engine.Metrics;
using SpectralGate.Engine.Probes;
using SpectralGate.Tests.Support;

namespace SpectralGate.Engine.Tests.Metrics;

/// <summary>
/// Every metric name is declared once, as a constant of its family's registry (<see cref="MetricNames"/>,
/// <see cref="ProbeMetricNames"/>, <see cref="DeltaMetricNames"/>), and every list that repeats the names is that
/// registry: tolerances know each one, "did you mean" finds each one, the docs have a row for each, and the kind map
/// lists each probe metric. The names are read here from the constants by reflection, not from the lists under test.
/// </summary>
public class MetricRegistryTests
{
    private static IEnumerable<string> Constants(Type registry) => registry.GetFields(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static)
        .Where(f => f.IsLiteral && f.FieldType == typeof(string)).Select(f => (string)f.GetRawConstantValue()!);

    public static IEnumerable<string> WeightNames() => Constants(typeof(MetricNames));

    public static IEnumerable<string> ProbeNames() => Constants(typeof(ProbeMetricNames));

    public static IEnumerable<string> DeltaNames() => Constants(typeof(DeltaMetricNames));

    [Test]
    public void EachNameIsDeclaredOnceAcrossTheFamilies()
    {
        var all = WeightNames().Concat(ProbeNames()).Concat(DeltaNames()).ToList();
        Assert.That(all, Is.Unique.And.All.Match("^[a-z][a-z0-9_]*$"));
        Assert.That(KnownMetrics.Weight, Is.EquivalentTo(WeightNames()));
        Assert.That(ProbeMetricNames.All, Is.EquivalentTo(ProbeNames()));
    }

    [Test]
    public void TheCorrelationTrapNamesAreWeightMetrics()
    {
        Assert.That(WeightNames(), Does.Contain(CorrelationTraps.RandDistance).And.Contain(CorrelationTraps.NumRandSpikes));
    }

    [Test]
    public void EveryComputedWeightMetricIsARegisteredName()
    {
        Assert.That(SpectrumMetrics.Names, Is.SubsetOf(WeightNames()));
    }

    [TestCaseSource(nameof(WeightNames))]
    [TestCaseSource(nameof(ProbeNames))]
    public void TolerancesKnowIt(string metric)
    {
        Assert.That(ToleranceMetricNames.IsKnown(metric), Is.True);
        Assert.That(() => new TolerancePolicy().For("**", metric, 1, 0), Throws.Nothing);
    }

    [TestCaseSource(nameof(WeightNames))]
    [TestCaseSource(nameof(ProbeNames))]
    public void DidYouMeanFindsIt(string metric)
    {
        string typo = metric + "x"; // edit distance 1: the nearest name is this one, or one as near
        string message = ToleranceMetricNames.Unknown(typo);

        Assert.That(message, Does.StartWith($"unknown metric '{typo}'; did you mean '"));
        Assert.That(Levenshtein(typo, message.Split('\'')[3]), Is.LessThanOrEqualTo(1), message);
    }

    [TestCaseSource(nameof(WeightNames))]
    public void HasADefaultTolerance(string metric)
    {
        Assert.That(ToleranceDefaults.All.ContainsKey(metric), Is.True, $"{metric}: a default tolerance in Baselines/ToleranceDefaults.cs");
    }

    [TestCaseSource(nameof(WeightNames))]
    public void TheMetricsDocumentHasARowForIt(string metric) => Assert.That(HasRow("metrics.md", metric), Is.True, $"docs/metrics.md: a row for `{metric}`");

    [TestCaseSource(nameof(ProbeNames))]
    public void TheProbesDocumentNamesIt(string metric) =>
        Assert.That(File.ReadAllText(Path.Combine(TestPaths.RepositoryRoot, "docs", "probes.md")), Does.Contain($"`{metric}`"));

    [TestCaseSource(nameof(DeltaNames))]
    public void TheFineTuningDocumentHasARowForIt(string metric) => Assert.That(HasRow("fine-tuning.md", metric), Is.True, $"docs/fine-tuning.md: a row for `{metric}`");

    [Test]
    public void TheKindMapListsEveryProbeMetricAComputationRecords()
    {
        LayerKind[] probeKinds = [LayerKind.Activation, LayerKind.Hessian, LayerKind.Recurrence, LayerKind.Mixer];
        var mapped = probeKinds.SelectMany(ProbeLayerKinds.MetricsOf).ToHashSet();

        Assert.That(mapped, Is.SubsetOf(ProbeNames().Concat(WeightNames())));
        // A name a tolerance rule may use whose function no probe layer records yet (docs/probes.md says so).
        Assert.That(ProbeNames().Where(n => !mapped.Contains(n)), Is.EquivalentTo(new[] { ProbeMetricNames.ProductUniformDistance }));
    }

    private static bool HasRow(string document, string metric) =>
        File.ReadLines(Path.Combine(TestPaths.RepositoryRoot, "docs", document))
            .Any(l => l.StartsWith("| ", StringComparison.Ordinal) && l.Split('|')[1].Contains($"`{metric}`", StringComparison.Ordinal));

    private static int Levenshtein(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (int i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (int j = 0; j <= b.Length; j++) d[0, j] = j;
        for (int i = 1; i <= a.Length; i++)
            for (int j = 1; j <= b.Length; j++)
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
        return d[a.Length, b.Length];
    }
}
