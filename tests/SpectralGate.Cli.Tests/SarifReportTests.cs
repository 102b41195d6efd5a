using System.Text.Json;
using SpectralGate.Engine.Gate;
using SpectralGate.Tests.Support;
using SpectralGate.Cli.Reports;

namespace SpectralGate.Cli.Tests;

/// <summary>
/// The SARIF 2.1.0 log: the properties the OASIS schema requires (sarifLog: version, runs; run: tool; tool: driver;
/// toolComponent: name; result: message; message: text; reportingDescriptor: id; region.startLine at least 1), the
/// level enumeration, and that what goes in comes back out of a JSON reader.
/// </summary>
public class SarifReportTests
{
    private static readonly string[] Levels = ["none", "note", "warning", "error"];

    [Test]
    public void EachFindingIsAResultLocatedInTheBaselineWithItsRule()
    {
        string folder = TestPaths.NewScratchFolder();
        string sarif = Path.Combine(folder, "gate.sarif");
        string baseline = Path.Combine(folder, "encoder.spectral.json");
        var diagnostics = new[]
        {
            new GateDiagnostic(baseline, 57, 7, true, GateCodes.Regression, "layer 'fc2.weight': stable_rank 8.99 -> 31.2. To accept: ..."),
            new GateDiagnostic(baseline, 80, 7, false, GateCodes.Regression, "layer 'fc3.weight': alpha 3 -> 3.5."),
        };

        SarifReport.Write(sarif, Path.Combine(folder, "encoder.safetensors"), diagnostics);

        using var doc = JsonDocument.Parse(File.ReadAllBytes(sarif));
        var root = doc.RootElement;
        var run = root.GetProperty("runs").EnumerateArray().Single();
        var driver = run.GetProperty("tool").GetProperty("driver");
        var rules = driver.GetProperty("rules").EnumerateArray().ToList();
        var results = run.GetProperty("results").EnumerateArray().ToList();
        Assert.Multiple(() =>
        {
            Assert.That(root.GetProperty("version").GetString(), Is.EqualTo("2.1.0"));
            Assert.That(root.GetProperty("$schema").GetString(), Does.Contain("sarif-2.1.0"));
            Assert.That(driver.GetProperty("name").GetString(), Is.EqualTo("spectralgate"));
            Assert.That(rules.Select(r => r.GetProperty("id").GetString()), Is.EqualTo(GateRules.All.Select(r => r.Id)));
            Assert.That(rules.Select(r => r.GetProperty("id").GetString()), Is.Unique);
            Assert.That(rules.All(r => r.GetProperty("shortDescription").GetProperty("text").GetString()!.Length > 0));
            Assert.That(results, Has.Count.EqualTo(2));
            foreach (var (result, expected) in results.Zip(diagnostics))
            {
                var location = result.GetProperty("locations")[0].GetProperty("physicalLocation");
                Assert.That(result.GetProperty("ruleId").GetString(), Is.EqualTo(expected.Code));
                Assert.That(rules[result.GetProperty("ruleIndex").GetInt32()].GetProperty("id").GetString(), Is.EqualTo(expected.Code));
                Assert.That(result.GetProperty("level").GetString(), Is.EqualTo(expected.IsError ? "error" : "warning").And.AnyOf(Levels));
                Assert.That(result.GetProperty("message").GetProperty("text").GetString(), Is.EqualTo(expected.Message));
                Assert.That(new Uri(location.GetProperty("artifactLocation").GetProperty("uri").GetString()!).LocalPath, Is.EqualTo(baseline));
                Assert.That(location.GetProperty("region").GetProperty("startLine").GetInt32(), Is.EqualTo(expected.Line));
                Assert.That(location.GetProperty("region").GetProperty("startColumn").GetInt32(), Is.EqualTo(expected.Column));
            }
        });
    }

    /// <summary>Every code the gate can emit, taken from the constants rather than from the rule list the report is written from.</summary>
    [Test]
    public void EveryGateCodeHasOneRuleAndEachResultPointsAtIt()
    {
        string folder = TestPaths.NewScratchFolder();
        string sarif = Path.Combine(folder, "gate.sarif");
        var codes = typeof(GateCodes).GetFields(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static)
            .Where(f => f.IsLiteral && f.FieldType == typeof(string)).Select(f => (string)f.GetRawConstantValue()!).ToList();
        var diagnostics = codes.Select(c => new GateDiagnostic(Path.Combine(folder, "m.spectral.json"), 1, 1, true, c, "finding " + c)).ToList();

        SarifReport.Write(sarif, Path.Combine(folder, "m.safetensors"), diagnostics);

        using var doc = JsonDocument.Parse(File.ReadAllBytes(sarif));
        var run = doc.RootElement.GetProperty("runs")[0];
        var ruleIds = run.GetProperty("tool").GetProperty("driver").GetProperty("rules").EnumerateArray().Select(r => r.GetProperty("id").GetString()).ToList();
        Assert.That(ruleIds, Is.EquivalentTo(codes).And.Unique);
        foreach (var result in run.GetProperty("results").EnumerateArray())
        {
            string code = result.GetProperty("ruleId").GetString()!;
            Assert.That(result.TryGetProperty("ruleIndex", out var index), Is.True, $"{code} has no ruleIndex");
            Assert.That(ruleIds[index.GetInt32()], Is.EqualTo(code));
        }
    }

    [Test]
    public void ModelsSharingALogKeepOneRunEachAndARecheckReplacesItsOwn()
    {
        string folder = TestPaths.NewScratchFolder();
        string sarif = Path.Combine(folder, "gate.sarif");
        string a = Path.Combine(folder, "a.safetensors"), b = Path.Combine(folder, "b.safetensors");
        var finding = new GateDiagnostic(a, 1, 1, true, GateCodes.MissingBaseline, "no spectral baseline");

        SarifReport.Write(sarif, a, [finding]);
        SarifReport.Write(sarif, b, []);
        SarifReport.Write(sarif, a, []);

        using var doc = JsonDocument.Parse(File.ReadAllBytes(sarif));
        var runs = doc.RootElement.GetProperty("runs").EnumerateArray()
            .ToDictionary(r => r.GetProperty("automationDetails").GetProperty("id").GetString()!, r => r.GetProperty("results").GetArrayLength());
        Assert.That(runs, Is.EqualTo(new Dictionary<string, int> { ["spectralgate/" + b] = 0, ["spectralgate/" + a] = 0 }));
    }

    [Test]
    public void CheckWritesTheLogOfItsFindings()
    {
        string folder = TestPaths.NewScratchFolder();
        string sarif = Path.Combine(folder, "out", "gate.sarif");
        string model = Path.Combine(TestPaths.RepositoryRoot, "samples", "models", "bars-cnn.safetensors");

        var r = CliRunner.Run("check", model, "--baseline", Path.Combine(folder, "none.spectral.json"), "--sarif", sarif);

        Assert.That(r.ExitCode, Is.EqualTo(1), r.Output + r.Error);
        using var doc = JsonDocument.Parse(File.ReadAllBytes(sarif));
        var result = doc.RootElement.GetProperty("runs")[0].GetProperty("results").EnumerateArray().Single();
        Assert.That(result.GetProperty("ruleId").GetString(), Is.EqualTo(GateCodes.MissingBaseline));
        Assert.That(r.Output, Does.Contain(result.GetProperty("message").GetProperty("text").GetString()));
    }
}
