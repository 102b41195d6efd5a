using SpectralGate.Engine.Trajectories;
using SpectralGate.Tests.Support;

namespace SpectralGate.Cli.Tests;

/// <summary><c>trajectory --tensorboard DIR</c> and <c>export RUN.json --tensorboard DIR</c>, read back by the test's own decoder.</summary>
public class TensorBoardCliTests
{
    private static string Series(string folder, params long[] steps)
    {
        string checkpoints = Path.Combine(folder, "ckpt");
        foreach (long step in steps) SeriesFixtures.Checkpoint(checkpoints, $"step-{step}.safetensors", (int)step);
        return checkpoints;
    }

    [Test]
    public void TheSeriesEventFileHoldsEveryDefinedMetricOfTheJsonAtItsStep()
    {
        string folder = TestPaths.NewScratchFolder();
        string checkpoints = Series(folder, 100, 9, 10);
        string json = Path.Combine(folder, "run.trajectory.json");
        string board = Path.Combine(folder, "tb");

        var result = CliRunner.Run("trajectory", checkpoints, "--json", json, "--tensorboard", board);

        Assert.That(result.ExitCode, Is.EqualTo(0), result.Output + result.Error);
        var trajectory = TrajectoryJsonReader.Read(json);
        var events = TensorBoardEvents.Read(Path.Combine(board, "events.out.tfevents.0.spectralgate"));
        var expected = trajectory.Records.Select(r => (r.Step, Values: r.Layers
            .SelectMany(l => l.Metrics.Where(m => m.Value is not null).Select(m => ($"spectral/{l.Name}/{m.Key}", (float)m.Value!.Value)))
            .OrderBy(v => v.Item1, StringComparer.Ordinal).ToArray())).ToList();
        int undefined = trajectory.Records.Sum(r => r.Layers.Sum(l => l.Metrics.Count(m => m.Value is null)));
        Assert.Multiple(() =>
        {
            Assert.That(events[0].FileVersion, Is.EqualTo("brain.Event:2"));
            Assert.That(events.Skip(1).Select(e => e.Step), Is.EqualTo(new long[] { 9, 10, 100 }));
            Assert.That(events.Skip(1).Select(e => e.Values.ToArray()), Is.EqualTo(expected.Select(e => e.Values)));
            Assert.That(result.Output, Does.Contain($"TensorBoard event file written to {Path.Combine(board, "events.out.tfevents.0.spectralgate")} (3 steps, {expected.Sum(e => e.Values.Length)} values)"));
            if (undefined > 0) Assert.That(result.Output, Does.Contain($"note: {undefined} undefined metric values"));
            else Assert.That(result.Output, Does.Not.Contain("undefined metric values"));
        });
    }

    [Test]
    public void ExportOfTheJsonWritesTheSameBytesAsTheSeriesAndTheCsvOfTrajectory()
    {
        string folder = TestPaths.NewScratchFolder();
        string checkpoints = Series(folder, 1, 2);
        Assert.That(CliRunner.RunIn(folder, "trajectory", "ckpt", "--json", "run.json", "--csv", "series.csv", "--tensorboard", "series").ExitCode, Is.EqualTo(0));

        var result = CliRunner.RunIn(folder, "export", "run.json", "--tensorboard", "exported", "--csv", "exported.csv");

        Assert.That(result.ExitCode, Is.EqualTo(0), result.Error);
        Assert.Multiple(() =>
        {
            Assert.That(File.ReadAllBytes(Path.Combine(folder, "exported", "events.out.tfevents.0.spectralgate")),
                Is.EqualTo(File.ReadAllBytes(Path.Combine(folder, "series", "events.out.tfevents.0.spectralgate"))));
            Assert.That(File.ReadAllText(Path.Combine(folder, "exported.csv")), Is.EqualTo(File.ReadAllText(Path.Combine(folder, "series.csv"))));
            Assert.That(Directory.GetFiles(Path.Combine(folder, "exported")), Has.Length.EqualTo(1), "the event file alone, no temporary file");
        });
    }

    [Test]
    public void ExportWithoutAnOutputOrOfASignatureIsRefusedWithExitTwo()
    {
        string folder = TestPaths.NewScratchFolder();
        string checkpoint = SeriesFixtures.Checkpoint(folder, "model.safetensors", 3);
        string signature = Path.Combine(folder, "model.json");
        Assert.That(CliRunner.Run("inspect", checkpoint, "--json", signature).ExitCode, Is.EqualTo(0));

        var nothing = CliRunner.Run("export", signature);
        var notATrajectory = CliRunner.Run("export", signature, "--tensorboard", Path.Combine(folder, "tb"));

        Assert.Multiple(() =>
        {
            Assert.That(nothing.ExitCode, Is.EqualTo(2));
            Assert.That(nothing.Error, Does.Contain("export writes nothing without --tensorboard DIR or --csv FILE"));
            Assert.That(notATrajectory.ExitCode, Is.EqualTo(2));
            Assert.That(notATrajectory.Error, Does.Contain(signature).And.Contain("is a signature"));
            Assert.That(Directory.Exists(Path.Combine(folder, "tb")), Is.False, "nothing written");
        });
    }

    [Test]
    public void TheEventFileIsTheSameBytesAtOneAndTwoThreads()
    {
        string folder = TestPaths.NewScratchFolder();
        Series(folder, 1, 20, 300);
        var files = new List<byte[]>();
        foreach (string n in new[] { "1", "2" })
        {
            var result = CliRunner.RunWith(folder, new Dictionary<string, string> { ["OMP_NUM_THREADS"] = n }, "trajectory", "ckpt", "--tensorboard", $"omp{n}");
            Assert.That(result.ExitCode, Is.EqualTo(0), result.Error);
            files.Add(File.ReadAllBytes(Path.Combine(folder, $"omp{n}", "events.out.tfevents.0.spectralgate")));
        }

        Assert.That(files[1], Is.EqualTo(files[0]));
    }
}
