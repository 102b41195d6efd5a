using SpectralGate.Engine.Errors;
using SpectralGate.Engine.Signatures;
using SpectralGate.Engine.Sources.Safetensors;
using SpectralGate.Engine.Trajectories;
using SpectralGate.Tests.Support;

namespace SpectralGate.Engine.Tests.Trajectories;

public class TrajectoryBuilderTests
{
    private static readonly SignatureOptions Options = new();

    [Test]
    public void EachRecordIsTheCheckpointsSignatureAtItsStep()
    {
        string folder = TestPaths.NewScratchFolder();
        string a = SeriesFixtures.Checkpoint(folder, "step-10.safetensors", 1);
        string b = SeriesFixtures.Checkpoint(folder, "step-9.safetensors", 2);

        var result = TrajectoryBuilder.Build(CheckpointSeries.Discover([folder]).Checkpoints, Options);

        SpectralSignature Signature(string path)
        {
            using var source = new SafetensorsFileSource(path);
            return SpectralEngine.Compute(source, Options);
        }
        var (nine, ten) = (Signature(b), Signature(a));
        Assert.Multiple(() =>
        {
            Assert.That(result.Trajectory.Records.Select(r => r.Step), Is.EqualTo(new long[] { 9, 10 }));
            Assert.That(result.Trajectory.Records.Select(r => r.Sha256), Is.EqualTo(new[] { nine.Model.Sha256, ten.Model.Sha256 }));
            Assert.That(result.Trajectory.Settings, Is.EqualTo(nine.Settings));
            Assert.That(TrajectoryJson.ToText(new Trajectory { Settings = nine.Settings, Records = [new TrajectoryRecord { Step = 9, Source = b, Sha256 = nine.Model.Sha256, Layers = nine.Layers }] }),
                Is.EqualTo(TrajectoryJson.ToText(new Trajectory { Settings = result.Trajectory.Settings, Records = [result.Trajectory.Records[0]] })));
        });
    }

    [Test]
    public void ARerunAfterOneCheckpointWasAddedComputesOnlyThatOne()
    {
        string folder = TestPaths.NewScratchFolder();
        for (int step = 0; step <= 200; step += 100) SeriesFixtures.Checkpoint(folder, $"step-{step}.safetensors", step);
        var first = TrajectoryBuilder.Build(CheckpointSeries.Discover([folder]).Checkpoints, Options);
        string json = Path.Combine(folder, "run.trajectory.json");
        TrajectoryJson.Write(json, first.Trajectory);

        SeriesFixtures.Checkpoint(folder, "step-50.safetensors", 50);
        var events = new List<SeriesProgress>();
        var second = TrajectoryBuilder.Build(CheckpointSeries.Discover([folder]).Checkpoints, Options, TrajectoryJsonReader.Read(json), new Recorder(events));

        var fresh = TrajectoryBuilder.Build(CheckpointSeries.Discover([folder]).Checkpoints, Options);
        Assert.Multiple(() =>
        {
            Assert.That(first.Computed, Has.Count.EqualTo(3));
            Assert.That(second.Computed.Select(c => c.Step), Is.EqualTo(new long[] { 50 }));
            Assert.That(second.Reused.Select(c => c.Step), Is.EqualTo(new long[] { 0, 100, 200 }));
            Assert.That(events.Where(e => !e.Reused).Select(e => e.Checkpoint.Step), Is.EqualTo(new long[] { 50 }));
            Assert.That(TrajectoryJson.ToBytes(TrajectoryJson.RecordedIn(second.Trajectory, json)), Is.EqualTo(TrajectoryJson.ToBytes(TrajectoryJson.RecordedIn(fresh.Trajectory, json))),
                "reused records are the ones a fresh run computes");
        });
    }

    [Test]
    public void OtherSettingsComputeEverythingAgainAndSaySo()
    {
        string folder = TestPaths.NewScratchFolder();
        SeriesFixtures.Checkpoint(folder, "step-1.safetensors", 1);
        var checkpoints = CheckpointSeries.Discover([folder]).Checkpoints;
        var cache = TrajectoryBuilder.Build(checkpoints, Options).Trajectory;

        var result = TrajectoryBuilder.Build(checkpoints, new SignatureOptions { Precision = SpectralGate.Engine.Spectra.SpectrumPrecision.Float32 }, cache);

        Assert.That(result.Computed, Has.Count.EqualTo(1));
        Assert.That(result.CacheUnused, Does.Contain("other settings (precision)"));
    }

    [Test]
    public void AChangedCheckpointIsComputedAgainThoughItsNameIsTheSame()
    {
        string folder = TestPaths.NewScratchFolder();
        SeriesFixtures.Checkpoint(folder, "step-1.safetensors", 1);
        var cache = TrajectoryBuilder.Build(CheckpointSeries.Discover([folder]).Checkpoints, Options).Trajectory;
        SeriesFixtures.Checkpoint(folder, "step-1.safetensors", 2);

        var result = TrajectoryBuilder.Build(CheckpointSeries.Discover([folder]).Checkpoints, Options, cache);

        Assert.That(result.Computed, Has.Count.EqualTo(1));
        Assert.That(result.Trajectory.Records[0].Sha256, Is.Not.EqualTo(cache.Records[0].Sha256));
    }

    [Test]
    public void BadCheckpointsAreAllNamedBeforeAnyIsComputed()
    {
        string folder = TestPaths.NewScratchFolder();
        SeriesFixtures.Checkpoint(folder, "step-1.safetensors", 1);
        File.WriteAllBytes(Path.Combine(folder, "step-2.safetensors"), [1, 2, 3]);
        File.WriteAllBytes(Path.Combine(folder, "step-3.safetensors"), new byte[16]);
        var events = new List<SeriesProgress>();

        var e = Assert.Throws<ModelFormatException>(() => TrajectoryBuilder.Build(CheckpointSeries.Discover([folder]).Checkpoints, Options, null, new Recorder(events)));

        Assert.Multiple(() =>
        {
            Assert.That(e!.Message, Does.StartWith(Path.Combine(folder, "step-2.safetensors") + ": checkpoint of step 2: "));
            Assert.That(e.Message, Does.Contain("1 more unreadable: " + Path.Combine(folder, "step-3.safetensors") + ":"));
            Assert.That(events, Is.Empty, "nothing computed before the series was known readable");
        });
    }

    private sealed class Recorder(List<SeriesProgress> events) : IProgress<SeriesProgress>
    {
        public void Report(SeriesProgress value) => events.Add(value);
    }
}
