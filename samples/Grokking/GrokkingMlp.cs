using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Grokking;

/// <summary>
/// The MLP of the grokking papers' MLP variants (Liu et al. "Omnigrok", Gromov 2023): a shared token embedding of a and
/// b, concatenated, one hidden layer, logits over the p residues. Every submodule is invoked through <c>call</c>, so
/// forward hooks (activation probes) fire.
/// </summary>
public sealed class GrokkingMlp : nn.Module<Tensor, Tensor>
{
    private readonly Embedding embed;
    private readonly Linear hidden;
    private readonly Linear readout;
    private readonly HiddenActivation activation;

    public GrokkingMlp(int modulus, int embedding, int width, HiddenActivation activation, double initScale) : base(nameof(GrokkingMlp))
    {
        embed = nn.Embedding(modulus, embedding);
        hidden = nn.Linear(2 * embedding, width);
        readout = nn.Linear(width, modulus);
        this.activation = activation;
        RegisterComponents();
        // A larger initial norm delays generalisation (Omnigrok's LU mechanism): the scale is the knob that sets the delay.
        using var _ = no_grad();
        foreach (var (_, p) in named_parameters()) p.mul_(initScale);
    }

    public override Tensor forward(Tensor pairs)
    {
        var e = embed.call(pairs).flatten(1);
        var h = hidden.call(e);
        h = activation == HiddenActivation.Quadratic ? h.square() : nn.functional.relu(h);
        return readout.call(h);
    }
}

/// <summary>The hidden nonlinearity: ReLU, or x² (Gromov 2023; the activation of the eigengap detector's runs, arXiv 2605.08119).</summary>
public enum HiddenActivation
{
    Relu,
    Quadratic,
}
