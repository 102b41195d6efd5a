using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SpectralGate.Tests.Support;

/// <summary>
/// A tiny MLP trained in the test on a fixed teacher task, deterministically (fixed seed, one thread while training):
/// a real trained model for the assertion and snapshot tests, made in a couple of seconds.
/// </summary>
internal static class TinyModels
{
    private static readonly Lazy<Sequential> Trained = new(Train);

    /// <summary>The trained model. Shared: tests that change weights work on a <see cref="Copy"/>.</summary>
    public static Sequential TrainedMlp => Trained.Value;

    public static Sequential NewMlp() => nn.Sequential(
        ("fc1", nn.Linear(32, 96)),
        ("act1", nn.Tanh()),
        ("fc2", nn.Linear(96, 64)),
        ("act2", nn.Tanh()),
        ("head", nn.Linear(64, 10)));

    public static Sequential Copy(Sequential model)
    {
        var copy = NewMlp();
        using (no_grad())
            foreach (var ((_, to), (_, from)) in copy.named_parameters().Zip(model.named_parameters()))
                to.copy_(from);
        return copy;
    }

    private static Sequential Train()
    {
        int threads = torch.get_num_threads();
        torch.set_num_threads(1);
        try
        {
            torch.manual_seed(7);
            var generator = new Generator(7);
            var model = NewMlp();
            // Teacher: a random two-layer network; the student learns its argmax over 10 classes.
            var teacher1 = randn(32, 48, generator: generator);
            var teacher2 = randn(48, 10, generator: generator);
            var x = randn(4096, 32, generator: generator);
            var y = tanh(x.matmul(teacher1)).matmul(teacher2).argmax(1);
            var optimizer = optim.Adam(model.parameters(), lr: 3e-3);
            for (int epoch = 0; epoch < 40; epoch++)
            {
                for (long start = 0; start < 4096; start += 128)
                {
                    using var scope = NewDisposeScope();
                    optimizer.zero_grad();
                    var batch = TensorIndex.Slice(start, start + 128);
                    var loss = nn.functional.cross_entropy(model.forward(x[batch]), y[batch]);
                    loss.backward();
                    optimizer.step();
                }
            }
            return model;
        }
        finally
        {
            torch.set_num_threads(threads);
        }
    }
}
