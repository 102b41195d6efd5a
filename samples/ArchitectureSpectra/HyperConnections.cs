using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ArchitectureSpectra;

/// <summary>n residual streams mixed by a free learnable n×n matrix: SG0001 warns (nothing keeps its spectrum in check).</summary>
public sealed class FreeMixerBlock : nn.Module<Tensor, Tensor>
{
    private readonly Parameter H = nn.Parameter(eye(4) + 0.1 * randn(4, 4));
    private readonly Linear f = nn.Linear(16, 16);

    public FreeMixerBlock() : base(nameof(FreeMixerBlock)) => RegisterComponents();

    /// <param name="x">[batch, streams = 4, width = 16]</param>
    public override Tensor forward(Tensor x)
    {
        x = H.matmul(x);
        return x + nn.functional.tanh(f.forward(x));
    }
}

/// <summary>The mHC way: the mixer is projected onto doubly stochastic matrices by Sinkhorn-Knopp before it mixes.</summary>
public sealed class SinkhornMixerBlock : nn.Module<Tensor, Tensor>
{
    private readonly Parameter logits = nn.Parameter(randn(4, 4));
    private readonly Linear f = nn.Linear(16, 16);

    public SinkhornMixerBlock() : base(nameof(SinkhornMixerBlock)) => RegisterComponents();

    public Tensor Mixer()
    {
        var m = logits.exp();
        for (int i = 0; i < 30; i++)
        {
            m = m / m.sum(1, keepdim: true);
            m = m / m.sum(0, keepdim: true);
        }
        return m;
    }

    public override Tensor forward(Tensor x)
    {
        x = Mixer().matmul(x);
        return x + nn.functional.tanh(f.forward(x));
    }
}
