using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ArchitectureSpectra;

/// <summary>h_t = a(x_t) ⊙ h_{t−1} + b(x_t) with a = sigmoid(·) ∈ (0, 1): SG0002 warns, and parity is out of reach.</summary>
public sealed class PositiveDecayRnn : nn.Module<Tensor, Tensor>
{
    private readonly Linear transition = nn.Linear(1, 8);
    private readonly Linear input = nn.Linear(1, 8);
    private readonly Linear readout = nn.Linear(8, 2);

    public PositiveDecayRnn() : base(nameof(PositiveDecayRnn)) => RegisterComponents();

    public Tensor Decays(Tensor bits) => transition.forward(bits.unsqueeze(-1)).sigmoid();

    public override Tensor forward(Tensor bits)
    {
        var a = transition.forward(bits.unsqueeze(-1)).sigmoid();
        var b = input.forward(bits.unsqueeze(-1));
        var h = ones(bits.shape[0], 8);
        for (int t = 0; t < bits.shape[1]; t++)
            h = a[.., t] * h + b[.., t];
        return readout.forward(h);
    }
}

/// <summary>The same with a = 2·sigmoid(·) − 1 ∈ (−1, 1), the fix SG0002 proposes: a = −1 on a one flips the state.</summary>
public sealed class SignedDecayRnn : nn.Module<Tensor, Tensor>
{
    private readonly Linear transition = nn.Linear(1, 8);
    private readonly Linear input = nn.Linear(1, 8);
    private readonly Linear readout = nn.Linear(8, 2);

    public SignedDecayRnn() : base(nameof(SignedDecayRnn)) => RegisterComponents();

    public Tensor Decays(Tensor bits) => 2 * transition.forward(bits.unsqueeze(-1)).sigmoid() - 1;

    public override Tensor forward(Tensor bits)
    {
        var a = 2 * transition.forward(bits.unsqueeze(-1)).sigmoid() - 1;
        var b = input.forward(bits.unsqueeze(-1));
        var h = ones(bits.shape[0], 8);
        for (int t = 0; t < bits.shape[1]; t++)
            h = a[.., t] * h + b[.., t];
        return readout.forward(h);
    }
}

public static class ParityTraining
{
    /// <summary>Adam on random bit strings of length 6; returns the accuracy on fresh strings.</summary>
    public static double Train(nn.Module<Tensor, Tensor> model, ulong seed = 1, int steps = 1500)
    {
        var generator = new Generator(seed);
        var optimizer = optim.Adam(model.parameters(), lr: 3e-2);
        for (int step = 0; step < steps; step++)
        {
            using var scope = NewDisposeScope();
            var bits = randint(0, 2, [128, 6], generator: generator).to(ScalarType.Float32);
            optimizer.zero_grad();
            nn.functional.cross_entropy(model.forward(bits), bits.sum(1).remainder(2).to(ScalarType.Int64)).backward();
            optimizer.step();
        }
        using var _ = no_grad();
        var x = randint(0, 2, [2000, 6], generator: generator).to(ScalarType.Float32);
        return model.forward(x).argmax(1).eq(x.sum(1).remainder(2).to(ScalarType.Int64)).to(ScalarType.Float32).mean().item<float>();
    }
}
