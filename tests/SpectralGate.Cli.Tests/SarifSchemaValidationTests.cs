using System.Text.Json.Nodes;
using NJsonSchema;
using NJsonSchema.Validation;
using SpectralGate.Cli.Reports;
using SpectralGate.Engine.Gate;
using SpectralGate.Tests.Support;

namespace SpectralGate.Cli.Tests;

/// <summary>
/// `check --sarif` output validated by a real JSON-schema validator (NJsonSchema, draft-04) against the OASIS SARIF
/// 2.1.0 schema file itself (Fixtures/Sarif, source and licence in SOURCE.md), so GitHub code scanning and Azure
/// DevOps accept it. The validator is shown to reject a log missing a required property or carrying an unknown one.
/// </summary>
public class SarifSchemaValidationTests
{
    private static readonly Lazy<JsonSchema> Schema = new(() =>
        JsonSchema.FromJsonAsync(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "Sarif", "sarif-schema-2.1.0.json"))).GetAwaiter().GetResult());

    /// <summary>Every error with its path and kind, nested ones included (NJsonSchema wraps them in their parent's).</summary>
    private static string[] Errors(string json) => Schema.Value.Validate(json).SelectMany(Flatten).ToArray();

    private static IEnumerable<string> Flatten(ValidationError error)
    {
        var nested = error switch
        {
            ChildSchemaValidationError child => child.Errors.Values.SelectMany(errors => errors),
            MultiTypeValidationError types => types.Errors.Values.SelectMany(errors => errors),
            _ => [],
        };
        return nested.SelectMany(Flatten).Prepend($"{error.Path}: {error.Kind}");
    }

    [Test]
    public void TheLogOfACheckIsValidAgainstTheSarifSchema()
    {
        string folder = TestPaths.NewScratchFolder();
        string sarif = Path.Combine(folder, "gate.sarif");
        string model = Path.Combine(TestPaths.RepositoryRoot, "samples", "models", "bars-cnn.safetensors");

        var r = CliRunner.Run("check", model, "--baseline", Path.Combine(folder, "none.spectral.json"), "--sarif", sarif);

        Assert.That(r.ExitCode, Is.EqualTo(1), r.Output + r.Error);
        Assert.That(Errors(File.ReadAllText(sarif)), Is.Empty);
    }

    [Test]
    public void ALogWithRegressionsWarningsAndSeveralRunsIsValidAgainstTheSarifSchema()
    {
        string folder = TestPaths.NewScratchFolder();
        string sarif = Path.Combine(folder, "gate.sarif");
        string baseline = Path.Combine(folder, "encoder.spectral.json");
        SarifReport.Write(sarif, Path.Combine(folder, "encoder.safetensors"),
        [
            new GateDiagnostic(baseline, 57, 7, true, GateCodes.Regression, "layer 'fc2.weight': stable_rank 8.99 -> 31.2."),
            new GateDiagnostic(baseline, 80, 7, false, GateCodes.Regression, "layer 'fc3.weight': alpha 3 -> 3.5."),
        ]);
        SarifReport.Write(sarif, Path.Combine(folder, "decoder.safetensors"), []);

        Assert.That(Errors(File.ReadAllText(sarif)), Is.Empty);
    }

    [TestCase("version", TestName = "A log without its version is rejected")]
    [TestCase("runs", TestName = "A log without its runs is rejected")]
    public void TheValidatorRejectsALogMissingARequiredProperty(string property)
    {
        var log = ValidLog();
        log.Remove(property);

        Assert.That(Errors(log.ToJsonString()), Has.Some.Contain("PropertyRequired"));
    }

    [Test]
    public void TheValidatorRejectsARuleWithoutItsIdAndAnUnknownProperty()
    {
        var noRuleId = ValidLog();
        noRuleId["runs"]![0]!["tool"]!["driver"]!["rules"]![0]!.AsObject().Remove("id");
        var unknown = ValidLog();
        unknown["runs"]![0]!["tool"]!["driver"]!["colour"] = "blue";

        Assert.Multiple(() =>
        {
            Assert.That(Errors(noRuleId.ToJsonString()), Is.Not.Empty);
            Assert.That(Errors(unknown.ToJsonString()), Has.Some.Contain("NoAdditionalPropertiesAllowed"));
        });
    }

    private static JsonObject ValidLog()
    {
        string folder = TestPaths.NewScratchFolder();
        string sarif = Path.Combine(folder, "gate.sarif");
        string baseline = Path.Combine(folder, "encoder.spectral.json");
        SarifReport.Write(sarif, Path.Combine(folder, "encoder.safetensors"), [new GateDiagnostic(baseline, 3, 7, true, GateCodes.Regression, "moved")]);
        string json = File.ReadAllText(sarif);
        Assert.That(Errors(json), Is.Empty, "the starting log is valid");
        return JsonNode.Parse(json)!.AsObject();
    }
}
