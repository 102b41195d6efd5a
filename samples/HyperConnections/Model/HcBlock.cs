using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace HyperConnections;

/// <summary>
/// The dynamic residual mixer of hyper-connections (Zhu et al., arXiv 2409.19606): a static matrix b (the identity at
/// init) plus α · tanh of a linear map of the normalised streams, and nothing that bounds it, so its products over depth
/// are free to grow. The map reads the n streams flattened, φ · RMSNorm(vec x) reshaped to n × n, as mHC writes its own
/// (arXiv 2512.24880), so that the two variants differ only in what follows the projection.
/// </summary>
public sealed class HcMixer : nn.Module<Tensor, Tensor>
{
    private readonly long n;
    private readonly Linear phi;
    private readonly Parameter alpha;
    private readonly Parameter b;

    public HcMixer(long streams, long width) : base(nameof(HcMixer))
    {
        n = streams;
        phi = nn.Linear(streams * width, streams * streams);
        alpha = nn.Parameter(full(1, 0.01));
        b = nn.Parameter(eye(streams));
        RegisterComponents();
    }

    /// <param name="x">the residual streams [batch, tokens, n, width]</param>
    /// <returns>H_res [batch, tokens, n, n]</returns>
    public override Tensor forward(Tensor x)
    {
        var logits = phi.call(StreamNorm.Of(x.flatten(-2))).view(x.shape[0], x.shape[1], n, n);
        return b + alpha * tanh(logits);
    }
}

/// <summary>One hyper-connected sublayer with HC's unconstrained mixer: x ← H_res x + H_postᵀ F(H_pre x).</summary>
public sealed class HcBlock : nn.Module<Tensor, Tensor>
{
    private readonly HcMixer mixer;
    private readonly StreamSublayer sublayer;

    public HcBlock(long streams, long width, nn.Module<Tensor, Tensor> layer) : base(nameof(HcBlock))
    {
        mixer = new HcMixer(streams, width);
        sublayer = new StreamSublayer(streams, width, layer);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        var Hres = mixer.call(x);
        return Hres.matmul(x) + sublayer.call(x);
    }
}
