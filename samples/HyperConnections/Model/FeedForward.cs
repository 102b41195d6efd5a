using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace HyperConnections;

/// <summary>Pre-norm two-layer GELU MLP over [batch, tokens, width], 4× wide.</summary>
public sealed class FeedForward : nn.Module<Tensor, Tensor>
{
    private readonly Linear up;
    private readonly Linear down;

    public FeedForward(long width) : base(nameof(FeedForward))
    {
        up = nn.Linear(width, 4 * width);
        down = nn.Linear(4 * width, width);
        RegisterComponents();
    }

    public override Tensor forward(Tensor h) => down.call(nn.functional.gelu(up.call(StreamNorm.Of(h))));
}
