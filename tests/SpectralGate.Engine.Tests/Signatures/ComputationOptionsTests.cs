using SpectralGate.Engine.Deltas;
using SpectralGate.Engine.Matrices;
using SpectralGate.Engine.Metrics;
using SpectralGate.Engine.Signatures;
using SpectralGate.Engine.Sources;
using SpectralGate.Engine.Spectra;
using SpectralGate.Tests.Support;

namespace SpectralGate.Engine.Tests.Signatures;

/// <summary>
/// The one declaration of every computation option: the settings derived from it are the ones the committed baselines
/// hold (written out here by hand, from the baselines' own bytes), each option is declared once and names a real API
/// member, and docs/cli.md's option table lists each with the spellings the descriptor has.
/// </summary>
public class ComputationOptionsTests
{
    [Test]
    public void DefaultSignatureSettingsAreTheCommittedBaselinesKeys()
    {
        // samples/CheckpointGate/baselines/bars-cnn.spectral.json, "settings".
        Assert.That(SpectralEngine.Settings(new SignatureOptions()), Is.EqualTo(new Dictionary<string, string>
        {
            ["conv_matrices"] = "per_kernel_position", ["exclude"] = "", ["farms"] = "off", ["include"] = "", ["min_dimension"] = "8",
            ["mp_estimator"] = "bulk_median", ["power_law_min_eigenvalues"] = "10", ["power_law_threshold"] = "1E-05", ["precision"] = "float64",
            ["split_fused_projections"] = "false",
        }));
    }

    [Test]
    public void EveryOptionSetIsRecordedUnderItsKey()
    {
        var options = new SignatureOptions
        {
            Precision = SpectrumPrecision.Float32, Selection = new TensorSelection { Include = ["a.*"], Exclude = ["b", "c"], MinDimension = 4, MinEigenvalues = 3 },
            Sketch = new SketchOptions(), Farms = true, CorrelationTraps = true, Kinds = LayerKindMap.Parse(["x=linear"]),
            Matrices = new MatrixViewOptions { ConvMode = ConvMatrixMode.Flatten, SplitFusedProjections = true, ConvNormalisation = ConvNormalisation.WeightWatcher },
            Metrics = new MetricOptions { MpEstimator = MpSigmaEstimator.WeightWatcherFit, PowerLawFixFingers = PowerLawFixFingers.XminPeak, RankConvention = NumericalRankConvention.SingularValues },
            Shard = new ShardSpec(1, 2),
        };

        Assert.That(SpectralEngine.Settings(options), Is.EqualTo(new Dictionary<string, string>
        {
            ["conv_matrices"] = "flatten", ["conv_min_eigenvalues"] = "3", ["conv_normalisation"] = "weightwatcher", ["correlation_traps"] = "on",
            ["exclude"] = "b;c", ["farms"] = "window=128,per_dim=8", ["include"] = "a.*", ["layer_kinds"] = "x=linear", ["min_dimension"] = "4",
            ["mp_estimator"] = "weightwatcher_fit", ["power_law_fix_fingers"] = "xmin_peak", ["power_law_min_eigenvalues"] = "10",
            ["power_law_threshold"] = "1E-05", ["precision"] = "float32", ["rank_convention"] = "singular_values", ["shard"] = "1/2",
            ["sketch"] = "block_lanczos,block=16,steps=8,exact_up_to=512,seed=0", ["split_fused_projections"] = "true",
        }));
    }

    [Test]
    public void ADeltaRecordsTheSharedOptionsAndItsOwn()
    {
        var fromSignature = new DeltaOptions(new SignatureOptions { Device = "cuda:3", Precision = SpectrumPrecision.Float32, Farms = true }) { SubspaceRank = 5 };

        Assert.That(fromSignature.Device, Is.EqualTo("cuda:3"));
        Assert.That(DeltaEngine.Settings(fromSignature), Is.EqualTo(new Dictionary<string, string>
        {
            ["exclude"] = "", ["include"] = "", ["min_dimension"] = "8", ["mp_estimator"] = "bulk_median", ["power_law_min_eigenvalues"] = "10",
            ["power_law_threshold"] = "1E-05", ["precision"] = "float32", ["subspace_rank"] = "5",
        }));
    }

    [Test]
    public void ACopyWithOtherGlobsSelectsByItsOwnGlobs()
    {
        var first = new TensorSelection { Include = ["a"] };
        var entry = new SpectralGate.Engine.Tests.Sources.InMemoryEntry("b", [16, 16]);
        Assert.That(first.Skip(entry)?.Kind, Is.EqualTo(SkipKind.NotIncluded)); // parses and keeps the globs
        Assert.That((first with { Include = ["b"] }).Skip(entry), Is.Null);
    }

    [Test]
    public void EachOptionIsDeclaredOnce()
    {
        var all = ComputationOptions.All;
        Assert.Multiple(() =>
        {
            Assert.That(all.Select(o => o.Name), Is.Unique);
            Assert.That(all.Where(o => o.SettingsKey is not null).Select(o => o.SettingsKey), Is.Unique);
            Assert.That(all.Where(o => o.CliFlag is not null).Select(o => o.CliFlag), Is.Unique);
            Assert.That(all.Where(o => o.MsBuildMetadata is not null).Select(o => o.MsBuildMetadata), Is.Unique);
            Assert.That(all.Where(o => o.CliFlag is not null), Has.All.Matches<ComputationOption>(o => o.Bind is not null), "a flag binds");
            Assert.That(all.Where(o => o.CliFlag is not null), Has.All.Matches<ComputationOption>(o => (o.MsBuildMetadata is null) != (o.NotInGate is null)),
                "every CLI option can be passed by the MSBuild gate, or says why not");
        });
    }

    [TestCaseSource(typeof(ComputationOptions), nameof(ComputationOptions.All))]
    public void EachOptionNamesTheApiMemberThatSetsIt(ComputationOption option)
    {
        Type type = option.Scope == OptionScope.Deltas ? typeof(DeltaOptions) : typeof(SignatureOptions);
        foreach (string member in option.ApiMember.Split('.'))
        {
            var property = type.GetProperty(member);
            Assert.That(property, Is.Not.Null, $"{option.Name}: {type.Name}.{member}");
            Assert.That(property!.SetMethod, Is.Not.Null, $"{option.Name}: {type.Name}.{member} is settable");
            type = property.PropertyType;
        }
    }

    [Test]
    public void TheCliDocumentListsEveryOptionWithItsSpellings()
    {
        var lines = File.ReadAllLines(Path.Combine(TestPaths.RepositoryRoot, "docs", "cli.md"));
        int start = Array.IndexOf(lines, "## Computation options");
        Assert.That(start, Is.GreaterThanOrEqualTo(0), "docs/cli.md has a '## Computation options' section");
        var rows = lines.Skip(start + 1).SkipWhile(l => !l.StartsWith("| option |", StringComparison.Ordinal)).Skip(2).TakeWhile(l => l.StartsWith('|')).ToList();
        Assert.That(rows, Is.EqualTo(ComputationOptions.All.Select(Row)));
    }

    private static string Row(ComputationOption o) =>
        $"| `{o.Name}` | {Code(o.SettingsKey)} | {Code(o.CliFlag)} | {Code(o.MsBuildMetadata)} | `{o.ApiMember}` | {(o.Default is null ? "" : $"`{o.Default}`")} |";

    private static string Code(string? text) => text is null ? "—" : $"`{text}`";
}
