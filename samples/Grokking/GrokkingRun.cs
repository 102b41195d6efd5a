using TorchSharp;
using static TorchSharp.torch;

namespace Grokking;

/// <summary>The scalars of one evaluation: accuracies and cross-entropy losses on the train and held-out pairs.</summary>
public readonly record struct GrokkingScalars(long Step, double TrainAccuracy, double TestAccuracy, double TrainLoss, double TestLoss);

/// <summary>
/// Full-batch AdamW on modular arithmetic (Power et al. 2022; Liu et al. 2023): the training loop, with a callback at
/// every evaluation step where a monitor records the model's spectra.
/// </summary>
public static class GrokkingRun
{
    /// <summary>
    /// Trains a fresh model and returns its evaluations. <paramref name="onEvaluate"/> sees the model after the step's
    /// update, with its scalars; step 0 is the initial model. Runs on one libtorch thread (restored after): the sums of a
    /// matrix product depend on how it is split over threads, and the same settings must give the same curve on every
    /// machine; at these sizes one thread is also the fastest.
    /// </summary>
    public static IReadOnlyList<GrokkingScalars> Train(GrokkingSettings settings, Action<GrokkingMlp, GrokkingScalars>? onEvaluate = null, Action<GrokkingMlp>? afterStep = null)
    {
        int threads = torch.get_num_threads();
        torch.set_num_threads(1);
        try
        {
            return TrainOnOneThread(settings, onEvaluate, afterStep);
        }
        finally
        {
            torch.set_num_threads(threads);
        }
    }

    private static IReadOnlyList<GrokkingScalars> TrainOnOneThread(GrokkingSettings settings, Action<GrokkingMlp, GrokkingScalars>? onEvaluate, Action<GrokkingMlp>? afterStep)
    {
        using var data = new ModularArithmetic(settings.Modulus, settings.Operation, settings.TrainFraction, settings.SplitSeed);
        torch.manual_seed(settings.Seed);
        using var model = new GrokkingMlp(settings.Modulus, settings.Embedding, settings.Width, settings.Activation, settings.InitScale);
        using var optimizer = optim.AdamW(model.parameters(), lr: settings.LearningRate, weight_decay: settings.WeightDecay);
        var curve = new List<GrokkingScalars>();
        Evaluate(0);
        for (int step = 1; step <= settings.Steps; step++)
        {
            using (var scope = NewDisposeScope())
            {
                optimizer.zero_grad();
                var loss = nn.functional.cross_entropy(model.call(data.TrainInputs), data.TrainLabels);
                loss.backward();
                optimizer.step();
            }
            afterStep?.Invoke(model);
            if (step % settings.EvaluateEvery == 0 || step == settings.Steps) Evaluate(step);
        }
        return curve;

        void Evaluate(long step)
        {
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            var (trainAccuracy, trainLoss) = Measure(model, data.TrainInputs, data.TrainLabels);
            var (testAccuracy, testLoss) = Measure(model, data.TestInputs, data.TestLabels);
            var scalars = new GrokkingScalars(step, trainAccuracy, testAccuracy, trainLoss, testLoss);
            curve.Add(scalars);
            onEvaluate?.Invoke(model, scalars);
        }
    }

    private static (double Accuracy, double Loss) Measure(GrokkingMlp model, Tensor inputs, Tensor labels)
    {
        var logits = model.call(inputs);
        double accuracy = logits.argmax(1).eq(labels).to(ScalarType.Float64).mean().item<double>();
        double loss = nn.functional.cross_entropy(logits, labels).item<float>();
        return (accuracy, loss);
    }

    /// <summary>The first evaluated step whose held-out accuracy reaches <paramref name="threshold"/>, or null (the papers' grokking step, at 0.9).</summary>
    public static long? FirstStepAtTestAccuracy(IReadOnlyList<GrokkingScalars> curve, double threshold) =>
        curve.Where(s => s.TestAccuracy >= threshold).Select(s => (long?)s.Step).FirstOrDefault();

    /// <summary>The first evaluated step whose train accuracy reaches <paramref name="threshold"/>, or null.</summary>
    public static long? FirstStepAtTrainAccuracy(IReadOnlyList<GrokkingScalars> curve, double threshold) =>
        curve.Where(s => s.TrainAccuracy >= threshold).Select(s => (long?)s.Step).FirstOrDefault();
}
