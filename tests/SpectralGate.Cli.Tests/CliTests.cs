using SpectralGate.Engine.Baselines;
using SpectralGate.Engine.Signatures;
using SpectralGate.Engine.Sources.Safetensors;
using SpectralGate.Tests.Support;

namespace SpectralGate.Cli.Tests;

public class CliTests
{
    private static string Sample => Path.Combine(TestPaths.RepositoryRoot, "samples", "models", "bars-cnn.safetensors");

    [Test]
    public void InspectPrintsATableOfTheSampleModel()
    {
        var r = CliRunner.Run("inspect", Sample);

        Assert.That(r.ExitCode, Is.EqualTo(0), r.Error);
        Assert.That(r.Output, Does.Contain("fc1.weight").And.Contain("128x2048").And.Contain("alpha").And.Contain("3 layers analysed"));
    }

    [Test]
    public void InspectJsonIsTheCanonicalSignatureAndDeterministic()
    {
        string folder = TestPaths.NewScratchFolder();
        string a = Path.Combine(folder, "a.json"), b = Path.Combine(folder, "b.json");

        Assert.That(CliRunner.Run("inspect", Sample, "--json", a).ExitCode, Is.EqualTo(0));
        Assert.That(CliRunner.Run("inspect", Sample, "--json", b, "--include", "fc*.weight").ExitCode, Is.EqualTo(0));
        var full = SignatureJson.Read(a);
        var selected = SignatureJson.Read(b);

        Assert.That(SignatureJson.ToBytes(full), Is.EqualTo(File.ReadAllBytes(a)));
        Assert.That(selected.Layers.Select(l => l.Name), Is.EqualTo(new[] { "fc1.weight", "fc2.weight" }));
        Assert.That(selected.Layers.Select(l => l.Metrics), Is.EqualTo(full.Layers.Where(l => l.Name.StartsWith("fc", StringComparison.Ordinal)).Select(l => l.Metrics)));
    }

    [TestCase("inspect", "/no/such/model.safetensors", "model.safetensors")]
    [TestCase("inspect", "--bogus-option", "bogus")]
    [TestCase("diff", "/no/a.json", "a.json")]
    public void BadInputIsExitCodeTwoWithAMessageAndNoStackTrace(string command, string argument, string expectedInMessage)
    {
        var r = command == "diff" ? CliRunner.Run(command, argument, "/no/b.json") : CliRunner.Run(command, argument);

        Assert.That(r.ExitCode, Is.EqualTo(2));
        Assert.That(r.Error, Does.Contain(expectedInMessage));
        Assert.That(r.Error, Does.Not.Contain("   at "));
    }

    [Test]
    public void InspectExplainsItsColumnsDashesAndSkippedMatrices()
    {
        var r = CliRunner.Run("inspect", Sample, "--farms");
        var verbose = CliRunner.Run("inspect", Sample, "--verbose");

        Assert.That(r.ExitCode, Is.EqualTo(0), r.Error);
        // conv2 is a conv kernel: its alpha_farms is "-", and the footnote says why.
        Assert.That(r.Output, Does.Contain("- in alpha_farms: not computed for conv kernels"));
        // Without --farms there is no alpha_farms at all: no column of dashes, no legend line.
        Assert.That(verbose.Output, Does.Not.Contain("alpha_farms"));
        Assert.That(r.Output, Does.Contain("Columns:").And.Contain("spikes       eigenvalues above the Marchenko-Pastur bulk"));
        Assert.That(r.Output, Does.Contain("healthy"));
        Assert.That(r.Output, Does.Contain("Skipped weight matrices:").And.Contain("conv1.weight [16x1x3x3]").And.Contain("head.weight [4x64]"));
        Assert.That(r.Output, Does.Not.Contain("fc1.bias ["));
        Assert.That(verbose.Output, Does.Contain("Skipped tensors:").And.Contain("fc1.bias [128]"));
    }

    [Test]
    public void AMisspelledToleranceMetricIsAnErrorThatSuggestsTheName()
    {
        var r = CliRunner.Run("diff", Sample, Sample, "--tolerance", "stable_rnak=100,1");

        Assert.That(r.ExitCode, Is.EqualTo(2), r.Output);
        Assert.That(r.Error, Does.Contain("unknown metric 'stable_rnak'; did you mean 'stable_rank'?"));
    }

    [Test]
    public void ACorruptModelNamesTheFile()
    {
        string path = Path.Combine(TestPaths.NewScratchFolder(), "broken.safetensors");
        File.WriteAllBytes(path, [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f, 1, 2]);

        var r = CliRunner.Run("inspect", path);

        Assert.That(r.ExitCode, Is.EqualTo(2));
        Assert.That(r.Error, Does.Contain("broken.safetensors").And.Contain("header length"));
    }

    [Test]
    public void CheckAcceptsThenPassesThenFailsWithLocatedDiagnostics()
    {
        string folder = TestPaths.NewScratchFolder();
        string model = Path.Combine(folder, "model.safetensors");
        string baseline = Path.Combine(folder, "model.spectral.json");
        File.Copy(Sample, model);

        var missing = CliRunner.Run("check", model, "--baseline", baseline);
        var accepted = CliRunner.Run("check", model, "--baseline", baseline, "--accept", "--force");
        var same = CliRunner.Run("check", model, "--baseline", baseline);

        WriteSampleWithReinitialisedFc2(model);
        var changed = CliRunner.Run("check", model, "--baseline", baseline);
        var lines = File.ReadAllLines(baseline);
        int fc2Line = Array.FindIndex(lines, l => l.Contains("\"name\": \"fc2.weight\"")) + 1;

        Assert.Multiple(() =>
        {
            Assert.That(missing.ExitCode, Is.EqualTo(1));
            Assert.That(missing.Output, Does.Contain("error SG1003"));
            Assert.That(accepted.ExitCode, Is.EqualTo(0), accepted.Error);
            Assert.That(same.ExitCode, Is.EqualTo(0), same.Output);
            Assert.That(changed.ExitCode, Is.EqualTo(1));
            Assert.That(changed.Output, Does.Contain($"{baseline}({fc2Line},"));
            Assert.That(changed.Output, Does.Contain("error SG1001: layer 'fc2.weight'"));
            Assert.That(changed.Output.Split('\n').Where(l => l.Contains("SG1001")), Is.All.Contain($"(model '{model}')"), "a build log mixes models");
            Assert.That(changed.Output, Does.Not.Contain("layer 'fc1.weight'"));
            Assert.That(changed.Output.Split('\n').Count(l => l.Contains("SG1001")), Is.EqualTo(1), "one diagnostic for the layer, not one per metric");
            Assert.That(changed.Output, Does.Contain("  layer 'fc2.weight': ").And.Contain("metrics beyond tolerance, worst "), "the details follow the diagnostics");
        });
    }

    /// <summary>The sample with fc2.weight re-initialised: a different random matrix of the same shape.</summary>
    private static void WriteSampleWithReinitialisedFc2(string model)
    {
        var tensors = new List<SafetensorsWriter.Tensor>();
        using (var source = new SafetensorsFileSource(Sample))
            foreach (var entry in source.Tensors)
            {
                using var t = entry.Load(TorchSharp.torch.CPU, TorchSharp.torch.ScalarType.Float32);
                float[] values = t.data<float>().ToArray();
                if (entry.Name == "fc2.weight")
                {
                    var random = new Random(5);
                    for (int i = 0; i < values.Length; i++) values[i] = (float)(random.NextDouble() - 0.5) * 0.2f;
                }
                tensors.Add(SafetensorsWriter.Float32(entry.Name, entry.Shape, values));
            }
        SafetensorsWriter.Write(model, tensors);
    }

    [Test]
    public void CheckRefusesToAcceptOnCiWithoutForce()
    {
        string folder = TestPaths.NewScratchFolder();
        var r = CliRunner.Run("check", Sample, "--baseline", Path.Combine(folder, "b.json"), "--accept");

        Assert.That(r.ExitCode, Is.EqualTo(2));
        Assert.That(r.Output, Does.Contain("error SG1013: refusing to accept").And.Contain("on a CI machine").And.Contain("or pass --force."));
        Assert.That(File.Exists(Path.Combine(folder, "b.json")), Is.False);
    }

    [Test]
    public void CheckOnAMissingModelIsFileNotFoundNeverAStaleBaseline()
    {
        string folder = TestPaths.NewScratchFolder();
        string baseline = Path.Combine(folder, "b.json");
        BaselineFile.Write(baseline, TestSignatures.Of(TestSignatures.Layer("w", [8, 8], ("alpha", 3.0))), new TolerancePolicy());

        var r = CliRunner.Run("check", Path.Combine(folder, "gone.safetensors"), "--baseline", baseline);

        // The CLI cannot tell a path typo from a model removed from the project; only the MSBuild gate sees the items.
        Assert.That(r.ExitCode, Is.EqualTo(2));
        Assert.That(r.Output, Does.Contain("error SG1004: file not found: model").And.Not.Contain("SG1006"));
    }

    [Test]
    public void DiffOfASignatureWithItselfIsClean()
    {
        string json = Path.Combine(TestPaths.NewScratchFolder(), "s.json");
        CliRunner.Run("inspect", Sample, "--json", json);

        var r = CliRunner.Run("diff", json, Sample);

        Assert.That(r.ExitCode, Is.EqualTo(0), r.Output + r.Error);
        Assert.That(r.Output, Does.Contain("No differences"));
    }

    [Test]
    public void DiffOfTwoSignatureFilesRefusesOptionsThatCannotApply()
    {
        string json = Path.Combine(TestPaths.NewScratchFolder(), "s.json");
        BaselineFile.Write(json, TestSignatures.Of(TestSignatures.Layer("w", [8, 8], ("alpha", 3.0))), new TolerancePolicy());

        var refused = CliRunner.Run("diff", json, json, "--include", "fc*", "--dtype", "float32");
        var plain = CliRunner.Run("diff", json, json, "--tolerance", "alpha=0.1");

        Assert.That(refused.ExitCode, Is.EqualTo(2));
        Assert.That(refused.Error, Does.Contain("--include, --dtype cannot apply: both arguments are signature files"));
        Assert.That(plain.ExitCode, Is.EqualTo(0), plain.Error);
    }

    [Test]
    public void AcceptAndRejectWorkOnAFolderAndPruneTheReceivedMap()
    {
        string folder = TestPaths.NewScratchFolder();
        var a = SpectralGate.Engine.Snapshots.SnapshotPaths.For(folder, "T", "A", []);
        var b = SpectralGate.Engine.Snapshots.SnapshotPaths.For(folder, "T", "B", []);
        var signature = TestSignatures.Of(TestSignatures.Layer("w", [8, 8], ("alpha", 3.0)));
        BaselineFile.Write(a.Received, signature, new TolerancePolicy());
        string obj = Path.Combine(folder, "obj");
        SpectralGate.Engine.Snapshots.ReceivedMap.Record(obj, a);

        var accepted = CliRunner.Run("accept", a.Received);
        BaselineFile.Write(b.Received, signature, new TolerancePolicy());
        var rejected = CliRunner.Run("reject", folder);

        Assert.Multiple(() =>
        {
            Assert.That(accepted.ExitCode, Is.EqualTo(0), accepted.Error);
            Assert.That(File.Exists(a.Verified), Is.True);
            Assert.That(File.Exists(a.Received), Is.False);
            Assert.That(SpectralGate.Engine.Snapshots.ReceivedMap.Read(obj), Is.Empty);
            Assert.That(rejected.ExitCode, Is.EqualTo(0));
            Assert.That(File.Exists(b.Received), Is.False);
            Assert.That(File.Exists(b.Verified), Is.False);
        });
    }

    [Test]
    public void CheckWritesAMarkdownAndHtmlReportWithEsdPlots()
    {
        string folder = TestPaths.NewScratchFolder();
        string baseline = Path.Combine(folder, "bars.spectral.json");
        string report = Path.Combine(folder, "report");
        CliRunner.Run("check", Sample, "--baseline", baseline, "--accept", "--force");

        var r = CliRunner.Run("check", Sample, "--baseline", baseline, "--report", report);

        Assert.That(r.ExitCode, Is.EqualTo(0), r.Output + r.Error);
        string md = File.ReadAllText(Path.Combine(report, "bars-cnn.md"));
        string html = File.ReadAllText(Path.Combine(report, "bars-cnn.html"));
        byte[] png = File.ReadAllBytes(Path.Combine(report, "bars-cnn.fc1.weight.png"));
        Assert.Multiple(() =>
        {
            Assert.That(md, Does.Contain("**Passed**").And.Contain("| fc1.weight | 128x2048 |").And.Contain("![fc1.weight](bars-cnn.fc1.weight.png)"));
            Assert.That(html, Does.Contain("<svg").And.Contain("fc2.weight"));
            Assert.That(png.Take(4), Is.EqualTo(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }));
        });
    }

    [Test]
    public void AFailingCheckReportDrawsTheBaselineAndActualEsdsOverlaid()
    {
        string folder = TestPaths.NewScratchFolder();
        string model = Path.Combine(folder, "model.safetensors"), baseline = Path.Combine(folder, "model.spectral.json"), report = Path.Combine(folder, "report");
        File.Copy(Sample, model);
        CliRunner.Run("check", model, "--baseline", baseline, "--accept", "--force");
        WriteSampleWithReinitialisedFc2(model);

        var r = CliRunner.Run("check", model, "--baseline", baseline, "--report", report);

        string html = File.ReadAllText(Path.Combine(report, "model.html"));
        var figures = html.Split("<figure>").Skip(1).ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(r.ExitCode, Is.EqualTo(1), r.Output);
            Assert.That(figures, Has.Length.EqualTo(3), "one plot per layer");
            Assert.That(figures, Has.All.Contain("baseline ESD").And.All.Contain("actual ESD"), "both series, in the legend of every plot");
            Assert.That(html, Does.Contain("esd_distance"), "the reinitialised layer's ESD moved beyond its tolerance");
        });
    }

    [Test]
    public void InspectReportDrawsEachLayersEsdWithoutABaseline()
    {
        string report = Path.Combine(TestPaths.NewScratchFolder(), "report");

        var r = CliRunner.Run("inspect", Sample, "--report", report);

        string html = File.ReadAllText(Path.Combine(report, "bars-cnn.html"));
        string md = File.ReadAllText(Path.Combine(report, "bars-cnn.md"));
        Assert.Multiple(() =>
        {
            Assert.That(r.ExitCode, Is.EqualTo(0), r.Error);
            Assert.That(html.Split("<svg").Length - 1, Is.EqualTo(3));
            Assert.That(html, Does.Not.Contain("baseline ESD").And.Not.Contain("Passed").And.Not.Contain("Failed"));
            Assert.That(md, Does.Contain("| fc1.weight | 128x2048 |").And.Contain("![fc1.weight](bars-cnn.fc1.weight.png)"));
            Assert.That(File.Exists(Path.Combine(report, "bars-cnn.fc2.weight.png")), Is.True);
        });
    }

    [Test]
    public void ShardsOfTheSampleMergeIntoTheBytesOfInspect()
    {
        string folder = TestPaths.NewScratchFolder();
        string whole = Path.Combine(folder, "whole.json"), merged = Path.Combine(folder, "merged.json");
        string[] parts = [Path.Combine(folder, "1.json"), Path.Combine(folder, "2.json")];

        Assert.That(CliRunner.Run("inspect", Sample, "--json", whole).ExitCode, Is.EqualTo(0));
        for (int i = 0; i < 2; i++)
            Assert.That(CliRunner.Run("inspect", Sample, "--shard", $"{i + 1}/2", "--json", parts[i]).ExitCode, Is.EqualTo(0));
        var r = CliRunner.Run("merge", parts[1], parts[0], "--output", merged);

        Assert.That(r.ExitCode, Is.EqualTo(0), r.Error);
        Assert.That(File.ReadAllBytes(merged), Is.EqualTo(File.ReadAllBytes(whole)));
    }

    [Test]
    public void MergingWithoutEveryShardIsExitCodeTwo()
    {
        string part = Path.Combine(TestPaths.NewScratchFolder(), "1.json");
        Assert.That(CliRunner.Run("inspect", Sample, "--shard", "1/3", "--json", part).ExitCode, Is.EqualTo(0));

        var r = CliRunner.Run("merge", part, "--output", part + ".merged");

        Assert.That(r.ExitCode, Is.EqualTo(2));
        Assert.That(r.Error, Does.Contain("2/3, 3/3").And.Not.Contain("   at "));
        Assert.That(File.Exists(part + ".merged"), Is.False);
    }

    [Test]
    public void InspectSketchedRecordsTheSketchInTheSignature()
    {
        string json = Path.Combine(TestPaths.NewScratchFolder(), "sketched.json");

        var r = CliRunner.Run("inspect", Sample, "--sketch", "--json", json);

        Assert.That(r.ExitCode, Is.EqualTo(0), r.Error);
        Assert.That(r.Output, Does.Contain("Sketched spectra (block_lanczos"));
        Assert.That(SignatureJson.Read(json).Settings["sketch"], Does.StartWith("block_lanczos"));
    }
}
