using SpectralGate.Engine.Training;
using SpectralGate.Engine.Trajectories;
using static TorchSharp.torch;

namespace Grokking;

/// <summary>A grokking run's curves and the spectral trajectory the training monitor recorded alongside.</summary>
public sealed record GrokkingRecording(GrokkingSettings Settings, IReadOnlyList<GrokkingScalars> Curve, Trajectory Trajectory, MonitorReport Report,
    IReadOnlyList<TrajectoryPoint> Eigengaps)
{
    /// <summary>Scalar names in <see cref="TrajectoryRecord.Scalars"/>.</summary>
    public const string TrainAccuracy = "train_accuracy", TestAccuracy = "test_accuracy", TrainLoss = "train_loss", TestLoss = "test_loss",
        UpdateEigengap = "update_eigengap";

    /// <summary>The weight whose update Gram <see cref="UpdateGramEigengap"/> follows: the first layer, as in arXiv 2605.08119.</summary>
    public const string EigengapWeight = "hidden.weight";

    /// <summary>The probed module: the hidden layer's pre-activations on the calibration pairs.</summary>
    public const string ProbedModule = "hidden";

    /// <summary>The held-out accuracy curve's grokking step: first evaluation at 90 %, or null.</summary>
    public long? GrokkedStep => GrokkingRun.FirstStepAtTestAccuracy(Curve, GrokkingTransition.Grokked);

    /// <summary>
    /// Trains with <paramref name="settings"/> under a <see cref="SpectralMonitor"/>: a cheap record every
    /// <paramref name="recordEvery"/> steps (a multiple of <see cref="GrokkingSettings.EvaluateEvery"/>), the full signature
    /// every <paramref name="fullEvery"/>-th of them, activation probes on a fixed calibration batch when asked. No overhead
    /// budget: a budget drops records by wall time, and this run must record the same steps on every machine.
    /// </summary>
    public static GrokkingRecording Record(GrokkingSettings settings, int recordEvery, int fullEvery = 1, bool probes = true)
    {
        if (recordEvery % settings.EvaluateEvery != 0)
            throw new ArgumentException($"records every {recordEvery} steps need evaluations there; {settings.EvaluateEvery} does not divide it.", nameof(recordEvery));
        using var calibration = CalibrationPairs(settings.Modulus);
        using var eigengap = new UpdateGramEigengap();
        double? gap = null;
        long step = 0;
        var eigengaps = new List<TrajectoryPoint>();
        SpectralMonitor? monitor = null;
        var curve = GrokkingRun.Train(settings,
            onEvaluate: (model, s) =>
            {
                monitor ??= new SpectralMonitor(model, new MonitorOptions
                {
                    Every = recordEvery,
                    FullEvery = fullEvery,
                    LogSpacedEarly = false,
                    Budget = 1,
                    Description = "grokking-mlp",
                    Probes = probes ? new MonitorProbes { Modules = [ProbedModule], Calibrate = () => model.call(calibration) } : null,
                });
                var scalars = new SortedDictionary<string, double>(StringComparer.Ordinal)
                {
                    [TrainAccuracy] = s.TrainAccuracy, [TestAccuracy] = s.TestAccuracy, [TrainLoss] = s.TrainLoss, [TestLoss] = s.TestLoss,
                };
                if (gap is { } g) scalars[UpdateEigengap] = g;
                monitor.Record(s.Step, scalars);
            },
            afterStep: model =>
            {
                gap = eigengap.Add(model.get_parameter(EigengapWeight)!);
                eigengaps.Add(new TrajectoryPoint(++step, gap));
            });
        using (monitor)
        {
            var report = monitor!.Report;
            return new GrokkingRecording(settings, curve, monitor.Complete(), report, eigengaps);
        }
    }

    /// <summary>Every ⌊p²/256⌋-th pair of the table (277 for p = 47), train and held-out alike: the probes' fixed calibration batch.</summary>
    private static Tensor CalibrationPairs(int modulus)
    {
        using var scope = NewDisposeScope();
        var index = arange(0, modulus * modulus, Math.Max(1, modulus * modulus / 256), dtype: ScalarType.Int64);
        return stack([index.div(modulus, rounding_mode: RoundingMode.floor), index.remainder(modulus)], 1).MoveToOuterDisposeScope();
    }
}
