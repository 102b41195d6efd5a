using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SpectralGate.Engine.Tests.Training;

/// <summary>A small MLP that calls its submodules through <c>call</c> (hooks fire) or <c>forward</c> (they do not), and a loop to train it.</summary>
internal sealed class Mlp : nn.Module<Tensor, Tensor>
{
    private readonly Linear fc1;
    private readonly ReLU act;
    private readonly Linear fc2;
    private readonly bool _throughCall;

    public Mlp(int inputs, int hidden, int outputs, long seed, bool throughCall = true) : base(nameof(Mlp))
    {
        manual_seed(seed);
        fc1 = nn.Linear(inputs, hidden);
        act = nn.ReLU();
        fc2 = nn.Linear(hidden, outputs);
        _throughCall = throughCall;
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) =>
        _throughCall ? fc2.call(act.call(fc1.call(x))) : fc2.forward(act.forward(fc1.forward(x)));
}

/// <summary>Full-batch regression on a fixed random problem: every step changes the weights a little, deterministically.</summary>
internal sealed class Regression : IDisposable
{
    private readonly Tensor _x;
    private readonly Tensor _y;
    private readonly optim.Optimizer _optimizer;
    private readonly nn.Module<Tensor, Tensor> _model;

    public Regression(nn.Module<Tensor, Tensor> model, int inputs, int outputs, int batch = 32, double lr = 0.05)
    {
        var generator = new Generator(7);
        _x = randn([batch, inputs], generator: generator);
        _y = randn([batch, outputs], generator: generator);
        _model = model;
        _optimizer = optim.SGD(model.parameters(), lr);
    }

    public Tensor Calibration => _x;

    public double Step()
    {
        using var scope = NewDisposeScope();
        _optimizer.zero_grad();
        var loss = nn.functional.mse_loss(_model.call(_x), _y);
        loss.backward();
        _optimizer.step();
        return loss.item<float>();
    }

    public void Dispose()
    {
        _x.Dispose();
        _y.Dispose();
    }
}

/// <summary>A clock the test moves: <see cref="Advance"/> for training time, and <see cref="PerRead"/> on every read (each measured piece of monitor work costs that).</summary>
internal sealed class FakeClock : TimeProvider
{
    private long _ticks;

    public TimeSpan PerRead { get; set; }

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp()
    {
        _ticks += PerRead.Ticks;
        return _ticks;
    }

    public void Advance(TimeSpan span) => _ticks += span.Ticks;
}
