using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ArchitectureSpectra;

/// <summary>h_t = a(x_t) ⊙ h_{t−1} + b(x_t) with a = sigmoid(·) ∈ (0, 1): SG0002 warns, and parity is out of reach.</summary>
public sealed class PositiveDecayRnn : nn.Module<Tensor, Tensor>
{
    // Named as in samples/SampleModels' ParityRnn (decay.transition), whose trained weights this loads.
    private readonly Sequential decay = nn.Sequential(("transition", nn.Linear(1, 8)));
    private readonly Linear input = nn.Linear(1, 8);
    private readonly Linear readout = nn.Linear(8, 2);

    public PositiveDecayRnn() : base(nameof(PositiveDecayRnn)) => RegisterComponents();

    public Tensor Decays(Tensor bits) => decay.forward(bits.unsqueeze(-1)).sigmoid();

    public override Tensor forward(Tensor bits)
    {
        var a = decay.forward(bits.unsqueeze(-1)).sigmoid();
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
    // Named as in samples/SampleModels' ParityRnn (decay.transition), whose trained weights this loads.
    private readonly Sequential decay = nn.Sequential(("transition", nn.Linear(1, 8)));
    private readonly Linear input = nn.Linear(1, 8);
    private readonly Linear readout = nn.Linear(8, 2);

    public SignedDecayRnn() : base(nameof(SignedDecayRnn)) => RegisterComponents();

    public Tensor Decays(Tensor bits) => 2 * decay.forward(bits.unsqueeze(-1)).sigmoid() - 1;

    public override Tensor forward(Tensor bits)
    {
        var a = 2 * decay.forward(bits.unsqueeze(-1)).sigmoid() - 1;
        var b = input.forward(bits.unsqueeze(-1));
        var h = ones(bits.shape[0], 8);
        for (int t = 0; t < bits.shape[1]; t++)
            h = a[.., t] * h + b[.., t];
        return readout.forward(h);
    }
}

public static class ParityWeights
{
    /// <summary>
    /// Loads the weights samples/SampleModels trained on parity of 6 bits (1500 Adam steps, <c>ParityRnn.Train</c>: the same
    /// model, parameter for parameter) and returns the accuracy on 2000 fresh strings.
    /// </summary>
    public static double Load(nn.Module<Tensor, Tensor> model, string fileName)
    {
        model.load(Path.Combine(AppContext.BaseDirectory, "models", fileName));
        using var _ = no_grad();
        var x = randint(0, 2, [2000, 6], generator: new Generator(2)).to(ScalarType.Float32);
        return model.forward(x).argmax(1).eq(x.sum(1).remainder(2).to(ScalarType.Int64)).to(ScalarType.Float32).mean().item<float>();
    }
}
