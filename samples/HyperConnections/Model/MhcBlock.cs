using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace HyperConnections;

/// <summary>
/// mHC's residual mixer (arXiv 2512.24880): H̃_res = α · mat(φ · RMSNorm(vec x)) + b, projected onto the
/// Birkhoff polytope by Sinkhorn-Knopp on exp(H̃_res) (rows and columns normalised in turn, 20 iterations as in the
/// paper). A doubly stochastic matrix has spectral norm 1, and so has any product of them.
/// </summary>
public sealed class SinkhornMixer : nn.Module<Tensor, Tensor>
{
    private readonly long n;
    private readonly int iterations;
    private readonly Linear phi;
    private readonly Parameter alpha;
    private readonly Parameter b;

    public SinkhornMixer(long streams, long width, int iterations) : base(nameof(SinkhornMixer))
    {
        n = streams;
        this.iterations = iterations;
        phi = nn.Linear(streams * width, streams * streams);
        alpha = nn.Parameter(full(1, 0.01));
        b = nn.Parameter(eye(streams));
        RegisterComponents();
    }

    /// <param name="x">the residual streams [batch, tokens, n, width]</param>
    /// <returns>H_res [batch, tokens, n, n], doubly stochastic</returns>
    public override Tensor forward(Tensor x)
    {
        var logits = alpha * phi.call(StreamNorm.Of(x.flatten(-2))).view(x.shape[0], x.shape[1], n, n) + b;
        var H = logits.exp();
        for (int i = 0; i < iterations; i++)
        {
            H = H / H.sum(-1, keepdim: true);
            H = H / H.sum(-2, keepdim: true);
        }
        return H;
    }
}

/// <summary>One hyper-connected sublayer with mHC's Sinkhorn-projected mixer: x ← H_res x + H_postᵀ F(H_pre x).</summary>
public sealed class MhcBlock : nn.Module<Tensor, Tensor>
{
    private readonly SinkhornMixer mixer;
    private readonly StreamSublayer sublayer;

    public MhcBlock(long streams, long width, int sinkhornIterations, nn.Module<Tensor, Tensor> layer) : base(nameof(MhcBlock))
    {
        mixer = new SinkhornMixer(streams, width, sinkhornIterations);
        sublayer = new StreamSublayer(streams, width, layer);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        var Hres = mixer.call(x);
        return Hres.matmul(x) + sublayer.call(x);
    }
}
