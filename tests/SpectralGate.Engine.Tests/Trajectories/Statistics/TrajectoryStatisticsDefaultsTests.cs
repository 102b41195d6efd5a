using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;
using SpectralGate.Engine.Trajectories.Statistics;
using SpectralGate.Tests.Support;

namespace SpectralGate.Engine.Tests.Trajectories.Statistics;

public class TrajectoryStatisticsDefaultsTests
{
    private static IEnumerable<TestCaseData> Defaults() =>
        typeof(TrajectoryStatisticsDefaults).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral)
            .Select(f => new TestCaseData(f.Name, Convert.ToDouble(f.GetRawConstantValue(), CultureInfo.InvariantCulture)).SetArgDisplayNames(f.Name));

    [TestCaseSource(nameof(Defaults))]
    public void TheDocumentedDefaultIsTheCodesDefault(string name, double value)
    {
        string doc = File.ReadAllText(Path.Combine(TestPaths.RepositoryRoot, "docs", "training.md"));

        var row = Regex.Match(doc, $@"^\| `{name}` \| (?<value>[^|]+) \|", RegexOptions.Multiline);

        Assert.That(row.Success, Is.True, $"docs/training.md's defaults table has no row for {name}");
        Assert.That(double.Parse(row.Groups["value"].Value.Trim(), CultureInfo.InvariantCulture), Is.EqualTo(value), name);
    }
}
