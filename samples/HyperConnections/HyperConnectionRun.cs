using TorchSharp;
using static TorchSharp.torch;

namespace HyperConnections;

/// <summary>
/// AdamW on the lagged-copy task: the training loop, with a callback at every evaluation step where a test reads the
/// model's mixers. Runs on one libtorch thread (restored after): the same settings must give the same numbers on every
/// machine, and at these sizes one thread is also the fastest.
/// </summary>
public static class HyperConnectionRun
{
    /// <summary>
    /// Trains a fresh model and returns the batch loss at each evaluation step (step 0: the initial model on one batch, not
    /// trained on). <paramref name="onEvaluate"/> sees the model after the step's update, with that loss.
    /// </summary>
    public static IReadOnlyList<(long Step, double Loss)> Train(HyperConnectionSettings settings, Action<MultiStreamTransformer, long, double>? onEvaluate = null)
    {
        int threads = get_num_threads();
        set_num_threads(1);
        try
        {
            return TrainOnOneThread(settings, onEvaluate);
        }
        finally
        {
            set_num_threads(threads);
        }
    }

    /// <summary>The fixed batch of token sequences the mixers are read on: never trained on, the same for every step and variant.</summary>
    public static Tensor CalibrationBatch(HyperConnectionSettings settings)
    {
        using var task = new LaggedCopyTask(settings.Vocabulary, settings.Tokens, settings.CalibrationSeed);
        return task.Next(settings.CalibrationBatchSize).Tokens;
    }

    private static IReadOnlyList<(long Step, double Loss)> TrainOnOneThread(HyperConnectionSettings settings, Action<MultiStreamTransformer, long, double>? onEvaluate)
    {
        using var task = new LaggedCopyTask(settings.Vocabulary, settings.Tokens, settings.DataSeed);
        manual_seed(settings.Seed);
        using var model = new MultiStreamTransformer(settings);
        using var optimizer = optim.AdamW(model.parameters(), lr: settings.LearningRate, weight_decay: settings.WeightDecay);
        var losses = new List<(long, double)>();
        double loss = Evaluate();
        losses.Add((0, loss));
        onEvaluate?.Invoke(model, 0, loss);
        for (int step = 1; step <= settings.Steps; step++)
        {
            using (NewDisposeScope())
            {
                var (tokens, labels) = task.Next(settings.BatchSize);
                optimizer.zero_grad();
                var batchLoss = LaggedCopyTask.Loss(model.call(tokens), labels);
                batchLoss.backward();
                optimizer.step();
                loss = batchLoss.item<float>();
            }
            if (step % settings.EvaluateEvery == 0 || step == settings.Steps)
            {
                losses.Add((step, loss));
                onEvaluate?.Invoke(model, step, loss);
            }
        }
        return losses;

        double Evaluate()
        {
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            var (tokens, labels) = task.Next(settings.BatchSize);
            return LaggedCopyTask.Loss(model.call(tokens), labels).item<float>();
        }
    }
}
