using SpectralGate.Engine.Trajectories;
using SpectralGate.Engine.Training;
using SpectralGate.Tests.Support;

namespace SpectralGate.Engine.Tests.Training;

/// <summary>The monitor's live TensorBoard file, read by the test's own decoder (<see cref="TensorBoardEvents"/>).</summary>
public class MonitorTensorBoardTests
{
    private static (Trajectory Trajectory, byte[] Live, List<long[]> StepsSeenDuringTheRun) Run(bool background)
    {
        string folder = Path.Combine(TestPaths.NewScratchFolder(), "tb");
        using var model = new Mlp(24, 16, 10, seed: 3);
        using var training = new Regression(model, 24, 10);
        var probes = new MonitorProbes { Modules = ["fc1", "act"], Calibrate = () => model.call(training.Calibration) };
        using var monitor = new SpectralMonitor(model, new MonitorOptions
        {
            Every = 4, FullEvery = 2, LogSpacedEarly = true, Budget = 1, Probes = probes, TensorBoard = folder, Background = background,
        });
        string file = Path.Combine(folder, TrajectoryTensorBoard.FileName);
        var seen = new List<long[]>();
        for (long step = 0; step <= 12; step++)
        {
            double loss = training.Step();
            if (monitor.Record(step, new Dictionary<string, double> { ["train_loss"] = loss }))
            {
                _ = monitor.Trajectory; // waits for the worker, so the step's event is in the file
                seen.Add(TensorBoardEvents.Read(file).Skip(1).Select(e => e.Step).ToArray());
            }
        }
        monitor.RecordNow(13, new Dictionary<string, double> { ["train_loss"] = 0.125 });
        return (monitor.Complete(), File.ReadAllBytes(file), seen);
    }

    [Test]
    public void TheLiveFileGrowsByOneEventPerRecordedStepAndEndsAsTheExportOfTheTrajectory()
    {
        var (trajectory, live, seen) = Run(background: false);

        long[] steps = trajectory.Records.Select(r => r.Step).Distinct().ToArray();
        var events = TensorBoardEvents.Decode(live);
        Assert.Multiple(() =>
        {
            // Every 4, the powers of two below it, full at 0 and 8; RecordNow at 13.
            Assert.That(steps, Is.EqualTo(new long[] { 0, 1, 2, 4, 8, 12, 13 }));
            Assert.That(seen, Is.EqualTo(Enumerable.Range(1, 6).Select(n => steps.Take(n).ToArray()).ToList()), "each step readable as soon as it was recorded");
            Assert.That(events[0].FileVersion, Is.EqualTo("brain.Event:2"));
            Assert.That(events.Skip(1).Select(e => e.Step), Is.EqualTo(steps));
            Assert.That(live, Is.EqualTo(TrajectoryTensorBoard.ToBytes(trajectory)));
        });
    }

    [Test]
    public void EveryMetricOfTheTrajectoryIsAScalarOfItsStepUnderItsTiersTag()
    {
        var (recorded, live, _) = Run(background: false);
        // The numbers the trajectory file holds (ten significant digits) are the ones the event file holds.
        var trajectory = TrajectoryJsonReader.Parse("run.trajectory.json", TrajectoryJson.ToBytes(recorded));
        var events = TensorBoardEvents.Decode(live).Skip(1).ToDictionary(e => e.Step, e => e.Values.ToDictionary(v => v.Tag, v => v.Value));

        int checkedValues = 0;
        Assert.Multiple(() =>
        {
            foreach (var record in trajectory.Records)
            {
                string prefix = record.Tier == TrajectoryTiers.Full ? "spectral/" : "spectral_cheap/";
                foreach (var layer in record.Layers)
                    foreach (var (metric, value) in layer.Metrics)
                    {
                        string tag = prefix + layer.Name + "/" + metric;
                        if (value is double v)
                        {
                            Assert.That(events[record.Step][tag], Is.EqualTo((float)v), $"{tag} at step {record.Step}");
                            checkedValues++;
                        }
                        else Assert.That(events[record.Step].ContainsKey(tag), Is.False, $"{tag} is undefined at step {record.Step}: a gap");
                    }
                Assert.That(events[record.Step]["scalars/train_loss"], Is.EqualTo((float)record.Scalars["train_loss"]));
            }
            Assert.That(events[8].Keys, Has.Some.StartsWith("spectral/fc1.weight/"), "the full record of step 8");
            Assert.That(events[8].Keys, Has.Some.StartsWith("spectral_cheap/probe:activations/act/"), "the probes of step 8");
        });
        Assert.That(checkedValues, Is.EqualTo(events.Values.Sum(e => e.Count) - events.Count), "nothing in the file but the trajectory's values and one loss per step");
    }

    [Test]
    public void TheBackgroundWorkerWritesTheSameFile()
    {
        Assert.That(Run(background: true).Live, Is.EqualTo(Run(background: false).Live));
    }

    [Test]
    public void AStartingMonitorReplacesAnEarlierRunsFileInItsFolder()
    {
        string folder = TestPaths.NewScratchFolder();
        string file = Path.Combine(folder, TrajectoryTensorBoard.FileName);
        File.WriteAllBytes(file, new byte[1000]);
        using var model = new Mlp(8, 8, 2, seed: 1);

        using var monitor = new SpectralMonitor(model, new MonitorOptions { Budget = 1, TensorBoard = folder });

        Assert.That(File.ReadAllBytes(file), Is.EqualTo(TensorBoardEventFile.FileVersionEvent()));
    }
}
