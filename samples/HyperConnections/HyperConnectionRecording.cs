using SpectralGate.Engine.Training;
using SpectralGate.Engine.Trajectories;
using static TorchSharp.torch;

namespace HyperConnections;

/// <summary>A run's losses and the trajectory the training monitor recorded alongside, with the mixer probe on a fixed batch.</summary>
public sealed record HyperConnectionRecording(HyperConnectionSettings Settings, IReadOnlyList<(long Step, double Loss)> Losses, Trajectory Trajectory)
{
    /// <summary>Scalar name of the batch loss in <see cref="TrajectoryRecord.Scalars"/>.</summary>
    public const string TrainLoss = "train_loss";

    /// <summary>
    /// Trains with <paramref name="settings"/> under a <see cref="SpectralMonitor"/>: a cheap record at every evaluation
    /// step, and at each the mixer probe (<c>probe:mixer/blocks.{i}.mixer</c>) on the calibration batch. No full
    /// signatures and no overhead budget: a budget drops records by wall time, and this run must record the same steps on
    /// every machine.
    /// </summary>
    public static HyperConnectionRecording Record(HyperConnectionSettings settings)
    {
        using var calibration = HyperConnectionRun.CalibrationBatch(settings);
        SpectralMonitor? monitor = null;
        var losses = HyperConnectionRun.Train(settings, (model, step, loss) =>
        {
            monitor ??= new SpectralMonitor(model, new MonitorOptions
            {
                Every = settings.EvaluateEvery,
                FullEvery = 0,
                LogSpacedEarly = false,
                Budget = 1,
                Description = $"multi-stream-transformer-{settings.Variant.ToString().ToLowerInvariant()}",
                Probes = new MonitorProbes { Mixers = MultiStreamTransformer.MixerNames(settings), Calibrate = () => model.call(calibration) },
            });
            monitor.Record(step, new SortedDictionary<string, double>(StringComparer.Ordinal) { [TrainLoss] = loss });
        });
        using (monitor)
        {
            return new HyperConnectionRecording(settings, losses, monitor!.Complete());
        }
    }
}
