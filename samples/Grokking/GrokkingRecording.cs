using SpectralGate.Engine.Signatures;
using SpectralGate.Engine.Sources.TorchSharp;
using SpectralGate.Engine.Trajectories;

namespace Grokking;

/// <summary>A grokking run's curves and its spectral trajectory.</summary>
public sealed record GrokkingRecording(GrokkingSettings Settings, IReadOnlyList<GrokkingScalars> Curve, Trajectory Trajectory)
{
    /// <summary>Scalar names in <see cref="TrajectoryRecord.Scalars"/>.</summary>
    public const string TrainAccuracy = "train_accuracy", TestAccuracy = "test_accuracy", TrainLoss = "train_loss", TestLoss = "test_loss",
        UpdateEigengap = "update_eigengap";

    /// <summary>The weight whose update Gram <see cref="UpdateGramEigengap"/> follows: the first layer, as in arXiv 2605.08119.</summary>
    public const string EigengapWeight = "hidden.weight";

    /// <summary>Trains with <paramref name="settings"/> and records the full signature every <paramref name="recordEvery"/> steps.</summary>
    public static GrokkingRecording Record(GrokkingSettings settings, int recordEvery)
    {
        var records = new List<TrajectoryRecord>();
        IReadOnlyDictionary<string, string>? engineSettings = null;
        var options = new SignatureOptions();
        using var eigengap = new UpdateGramEigengap();
        double? gap = null;
        var curve = GrokkingRun.Train(settings,
            onEvaluate: (model, s) =>
            {
                if (s.Step % recordEvery != 0) return;
                var signature = SpectralEngine.Compute(new ModuleSource(model, "grokking-mlp"), options);
                engineSettings ??= signature.Settings;
                var scalars = new SortedDictionary<string, double>(StringComparer.Ordinal)
                {
                    [TrainAccuracy] = s.TrainAccuracy, [TestAccuracy] = s.TestAccuracy, [TrainLoss] = s.TrainLoss, [TestLoss] = s.TestLoss,
                };
                if (gap is { } g) scalars[UpdateEigengap] = g;
                records.Add(new TrajectoryRecord { Step = s.Step, Source = "live", Layers = signature.Layers, Scalars = scalars });
            },
            afterStep: model => gap = eigengap.Add(model.get_parameter(EigengapWeight)!));
        var trajectory = new Trajectory { Settings = engineSettings ?? SpectralEngine.Settings(options), Records = records };
        return new GrokkingRecording(settings, curve, trajectory);
    }
}
