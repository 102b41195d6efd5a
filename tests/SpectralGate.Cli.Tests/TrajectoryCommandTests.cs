using System.Text.Json;
using SpectralGate.Engine.Trajectories;
using SpectralGate.Tests.Support;

namespace SpectralGate.Cli.Tests;

/// <summary><c>spectralgate trajectory</c> end to end: step order, outputs, refusals with exit 2, the cache, thread counts.</summary>
public class TrajectoryCommandTests
{
    private static string Series(string folder, params long[] steps)
    {
        string checkpoints = Path.Combine(folder, "ckpt");
        foreach (long step in steps) SeriesFixtures.Checkpoint(checkpoints, $"step-{step}.safetensors", (int)step);
        return checkpoints;
    }

    [Test]
    public void WritesJsonAndCsvInNumericStepOrderWithPathsRelativeToTheJson()
    {
        string folder = TestPaths.NewScratchFolder();
        string checkpoints = Series(folder, 10, 9, 100);
        string json = Path.Combine(folder, "out", "run.trajectory.json");
        string csv = Path.Combine(folder, "out", "run.csv");

        var result = CliRunner.Run("trajectory", checkpoints, "--json", json, "--csv", csv);

        Assert.That(result.ExitCode, Is.EqualTo(0), result.Output + result.Error);
        var trajectory = TrajectoryJsonReader.Read(json);
        string[] rows = File.ReadAllLines(csv);
        Assert.Multiple(() =>
        {
            Assert.That(trajectory.Records.Select(r => r.Step), Is.EqualTo(new long[] { 9, 10, 100 }));
            Assert.That(trajectory.Records.Select(r => r.Source), Is.EqualTo(new[] { "../ckpt/step-9.safetensors", "../ckpt/step-10.safetensors", "../ckpt/step-100.safetensors" }));
            Assert.That(File.ReadAllText(json), Does.Not.Contain(folder), "no machine path in the file");
            Assert.That(result.Output, Does.Contain("Trajectory of 3 checkpoints (steps 9 to 100, 2 layers): 3 computed, 0 reused."));
            Assert.That(rows[0], Is.EqualTo("step,layer,metric,value,tier"));
            Assert.That(rows[1], Does.StartWith("9,fc1.weight,"));
            Assert.That(rows[^1], Does.StartWith("100,fc2.weight,"));
            // One row per metric of each layer at each step, nothing else (no scalars in a checkpoint series).
            Assert.That(rows.Length - 1, Is.EqualTo(trajectory.Records.Sum(r => r.Layers.Sum(l => l.Metrics.Count))));
        });
    }

    [Test]
    public void JsonToStandardOutputIsTheTrajectoryAlone()
    {
        string folder = TestPaths.NewScratchFolder();
        string checkpoints = Series(folder, 1, 2);

        var result = CliRunner.RunIn(folder, "trajectory", "ckpt", "--json", "-");

        Assert.That(result.ExitCode, Is.EqualTo(0), result.Error);
        using var doc = JsonDocument.Parse(result.Output);
        Assert.That(doc.RootElement.GetProperty("records").EnumerateArray().Select(r => r.GetProperty("source").GetString()),
            Is.EqualTo(new[] { "ckpt/step-1.safetensors", "ckpt/step-2.safetensors" }));
    }

    [Test]
    public void AFileWhoseStepCannotBeReadIsRefusedByName()
    {
        string folder = TestPaths.NewScratchFolder();
        string checkpoints = Series(folder, 1);
        SeriesFixtures.Checkpoint(checkpoints, "final.safetensors", 5);

        var result = CliRunner.Run("trajectory", checkpoints);

        Assert.That(result.ExitCode, Is.EqualTo(2));
        Assert.That(result.Error, Does.Contain("final.safetensors: the step cannot be read: 'final.safetensors' holds no number"));
    }

    [Test]
    public void ABadCheckpointIsNamedWithExitCode2AndNothingIsWritten()
    {
        string folder = TestPaths.NewScratchFolder();
        string checkpoints = Series(folder, 1, 3);
        File.WriteAllBytes(Path.Combine(checkpoints, "step-2.safetensors"), [1, 2, 3, 4, 5, 6, 7, 8, 9]);
        string json = Path.Combine(folder, "run.trajectory.json");

        var result = CliRunner.Run("trajectory", checkpoints, "--json", json);

        Assert.That(result.ExitCode, Is.EqualTo(2), result.Output + result.Error);
        Assert.That(result.Error, Does.Contain("step-2.safetensors: checkpoint of step 2: "));
        Assert.That(File.Exists(json), Is.False);
    }

    [Test]
    public void TwoCheckpointsAtOneStepAreRefused()
    {
        string folder = TestPaths.NewScratchFolder();
        string checkpoints = Series(folder, 7);
        SeriesFixtures.Checkpoint(checkpoints, "step-007.safetensors", 8);

        var result = CliRunner.Run("trajectory", checkpoints);

        Assert.That(result.ExitCode, Is.EqualTo(2));
        Assert.That(result.Error, Does.Contain("is at step 7, as is"));
    }

    [Test]
    public void AStepPatternPicksTheStepAndABadOneIsExitCode2()
    {
        string folder = TestPaths.NewScratchFolder();
        SeriesFixtures.Checkpoint(folder, "r2_e1_s30.safetensors", 1);
        SeriesFixtures.Checkpoint(folder, "r2_e1_s4.safetensors", 2);

        var good = CliRunner.RunIn(folder, "trajectory", "*.safetensors", "--step-pattern", @"_s(\d+)", "--json", "t.json");
        var bad = CliRunner.RunIn(folder, "trajectory", "*.safetensors", "--step-pattern", @"_s\d+");

        Assert.That(good.ExitCode, Is.EqualTo(0), good.Error);
        Assert.That(TrajectoryJsonReader.Read(Path.Combine(folder, "t.json")).Records.Select(r => r.Step), Is.EqualTo(new long[] { 4, 30 }));
        Assert.That(bad.ExitCode, Is.EqualTo(2));
        Assert.That(bad.Error, Does.Contain("has 0 capture groups"));
    }

    [Test]
    public void ARerunWithTheJsonComputesOnlyTheAddedCheckpointAndWritesTheSameBytesAsAFreshRun()
    {
        string folder = TestPaths.NewScratchFolder();
        string checkpoints = Series(folder, 0, 100, 200);
        string json = Path.Combine(folder, "run.trajectory.json");
        Assert.That(CliRunner.Run("trajectory", checkpoints, "--json", json).ExitCode, Is.EqualTo(0));
        SeriesFixtures.Checkpoint(checkpoints, "step-50.safetensors", 50);

        var rerun = CliRunner.Run("trajectory", checkpoints, "--json", json);
        string fresh = Path.Combine(folder, "fresh.trajectory.json");
        CliRunner.Run("trajectory", checkpoints, "--json", fresh);

        Assert.That(rerun.ExitCode, Is.EqualTo(0), rerun.Error);
        Assert.Multiple(() =>
        {
            Assert.That(rerun.Output, Does.Contain("1 computed, 3 reused"));
            Assert.That(rerun.Error, Does.Contain("step 50: computed").And.Contain("step 0: reused").And.Contain("step 100: reused").And.Contain("step 200: reused"));
            Assert.That(File.ReadAllBytes(json), Is.EqualTo(File.ReadAllBytes(fresh)));
        });
    }

    [Test]
    public void ACorruptCacheIsRefusedNamingItNotSilentlyRecomputed()
    {
        string folder = TestPaths.NewScratchFolder();
        string checkpoints = Series(folder, 1);
        string json = Path.Combine(folder, "run.trajectory.json");
        File.WriteAllText(json, "{\"format_version\": 1, \"records\": [");

        var result = CliRunner.Run("trajectory", checkpoints, "--json", json);

        Assert.That(result.ExitCode, Is.EqualTo(2));
        Assert.That(result.Error, Does.Contain("run.trajectory.json: not valid JSON"));
    }

    [Test]
    public void OutputsAreTheSameBytesAtOneAndTwoThreads()
    {
        string folder = TestPaths.NewScratchFolder();
        Series(folder, 1, 20, 300);
        var outputs = new List<(byte[] Json, byte[] Csv)>();
        foreach (int n in new[] { 1, 2 })
        {
            string out_ = Path.Combine(folder, $"omp{n}");
            var result = CliRunner.RunWith(folder, new Dictionary<string, string> { ["OMP_NUM_THREADS"] = n.ToString(System.Globalization.CultureInfo.InvariantCulture) },
                "trajectory", "ckpt", "--json", $"omp{n}/t.json", "--csv", $"omp{n}/t.csv");
            Assert.That(result.ExitCode, Is.EqualTo(0), result.Error);
            outputs.Add((File.ReadAllBytes(Path.Combine(out_, "t.json")), File.ReadAllBytes(Path.Combine(out_, "t.csv"))));
        }

        Assert.That(outputs[1].Json, Is.EqualTo(outputs[0].Json));
        Assert.That(outputs[1].Csv, Is.EqualTo(outputs[0].Csv));
    }

    [Test]
    public void TheReportDrawsTheBaselineBandAndMarksStepsOutsideIt()
    {
        string folder = TestPaths.NewScratchFolder();
        string checkpoints = Series(folder, 1, 2);
        string baseline = Path.Combine(folder, "baseline.trajectory.json");
        Assert.That(CliRunner.Run("trajectory", checkpoints, "--json", baseline).ExitCode, Is.EqualTo(0));
        // The checkpoint at step 2 changes: its stable rank leaves the baseline's band there.
        SeriesFixtures.Checkpoint(checkpoints, "step-2.safetensors", 77);
        string report = Path.Combine(folder, "report");

        var result = CliRunner.Run("trajectory", checkpoints, "--report", report, "--baseline", baseline, "--metrics", "stable_rank", "--log-step");

        Assert.That(result.ExitCode, Is.EqualTo(0), result.Error);
        string html = File.ReadAllText(Path.Combine(report, "trajectory.html"));
        Assert.Multiple(() =>
        {
            Assert.That(Directory.GetFiles(report, "*.png").Select(f => Path.GetFileName(f)).Order(), Is.EqualTo(new[] { "fc1.weight.stable_rank.png", "fc2.weight.stable_rank.png" }));
            Assert.That(html, Does.Contain("<td>2</td><td>fc1.weight</td><td>stable_rank</td><td>outside baseline band</td>"));
            Assert.That(html, Does.Not.Contain("<td>1</td><td>fc1.weight</td>"), "step 1 is the baseline's own checkpoint");
        });
    }
}

/// <summary><c>spectralgate merge</c> of trajectories: shards of one series computed apart join into the whole series' bytes.</summary>
public class TrajectoryMergeCliTests
{
    [Test]
    public void ShardsComputedInOtherFoldersMergeIntoTheWholeSeries()
    {
        string folder = TestPaths.NewScratchFolder();
        string checkpoints = Path.Combine(folder, "ckpt");
        foreach (long step in new long[] { 1, 2, 3 }) SeriesFixtures.Checkpoint(checkpoints, $"step-{step}.safetensors", (int)step);
        Assert.That(CliRunner.Run("trajectory", Path.Combine(checkpoints, "step-1.safetensors"), Path.Combine(checkpoints, "step-3.safetensors"), "--json", Path.Combine(folder, "a", "part.json")).ExitCode, Is.EqualTo(0));
        Assert.That(CliRunner.Run("trajectory", Path.Combine(checkpoints, "step-2.safetensors"), "--json", Path.Combine(folder, "b", "deeper", "part.json")).ExitCode, Is.EqualTo(0));
        Assert.That(CliRunner.Run("trajectory", checkpoints, "--json", Path.Combine(folder, "whole.json")).ExitCode, Is.EqualTo(0));

        var result = CliRunner.Run("merge", Path.Combine(folder, "b", "deeper", "part.json"), Path.Combine(folder, "a", "part.json"), "--output", Path.Combine(folder, "merged.json"));

        Assert.That(result.ExitCode, Is.EqualTo(0), result.Error);
        Assert.That(result.Output, Does.Contain("Merged 2 trajectories (3 records)"));
        Assert.That(File.ReadAllBytes(Path.Combine(folder, "merged.json")), Is.EqualTo(File.ReadAllBytes(Path.Combine(folder, "whole.json"))));
    }

    [Test]
    public void TrajectoriesOfOtherSettingsAreRefusedWithExitCode2()
    {
        string folder = TestPaths.NewScratchFolder();
        string checkpoints = Path.Combine(folder, "ckpt");
        SeriesFixtures.Checkpoint(checkpoints, "step-1.safetensors", 1);
        SeriesFixtures.Checkpoint(checkpoints, "step-2.safetensors", 2);
        CliRunner.Run("trajectory", Path.Combine(checkpoints, "step-1.safetensors"), "--json", Path.Combine(folder, "a.json"));
        CliRunner.Run("trajectory", Path.Combine(checkpoints, "step-2.safetensors"), "--dtype", "float32", "--json", Path.Combine(folder, "b.json"));

        var result = CliRunner.Run("merge", Path.Combine(folder, "a.json"), Path.Combine(folder, "b.json"), "--output", Path.Combine(folder, "m.json"));

        Assert.That(result.ExitCode, Is.EqualTo(2));
        Assert.That(result.Error, Does.Contain("b.json: was computed with other settings than").And.Contain("(precision: 'float32' against 'float64')"));
    }
}

public class TrajectoryPlotOptionTests
{
    [Test]
    public void PlotOptionsWithoutAReportAreRefusedNotIgnored()
    {
        string folder = TestPaths.NewScratchFolder();
        SeriesFixtures.Checkpoint(folder, "step-1.safetensors", 1);

        var result = CliRunner.Run("trajectory", folder, "--log-step", "--metrics", "alpha");

        Assert.That(result.ExitCode, Is.EqualTo(2));
        Assert.That(result.Error, Does.Contain("--metrics, --log-step apply to --report only"));
    }
}
