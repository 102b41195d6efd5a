using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace HyperConnections;

/// <summary>
/// The read and write of one sublayer F over n streams, mHC's form (arXiv 2512.24880):
/// H_pre = σ(α_pre · x̃ φ_pre + b_pre) weighs the streams into F's input, H_post = 2σ(α_post · x̃ φ_post + b_post)
/// spreads F's output back over them. Both variants share it: they differ only in H_res.
/// </summary>
public sealed class StreamSublayer : nn.Module<Tensor, Tensor>
{
    private readonly Linear phiPre;
    private readonly Linear phiPost;
    private readonly Parameter alphaPre;
    private readonly Parameter alphaPost;
    private readonly Parameter bPre;
    private readonly Parameter bPost;
    private readonly nn.Module<Tensor, Tensor> layer;

    public StreamSublayer(long streams, long width, nn.Module<Tensor, Tensor> layer) : base(nameof(StreamSublayer))
    {
        phiPre = nn.Linear(streams * width, streams);
        phiPost = nn.Linear(streams * width, streams);
        alphaPre = nn.Parameter(full(1, 0.01));
        alphaPost = nn.Parameter(full(1, 0.01));
        bPre = nn.Parameter(zeros(streams));
        bPost = nn.Parameter(zeros(streams));
        this.layer = layer;
        RegisterComponents();
    }

    /// <param name="x">the residual streams [batch, tokens, n, width]</param>
    /// <returns>H_postᵀ F(H_pre x) [batch, tokens, n, width]</returns>
    public override Tensor forward(Tensor x)
    {
        var normalised = StreamNorm.Of(x.flatten(-2));
        var pre = sigmoid(alphaPre * phiPre.call(normalised) + bPre);
        var post = 2 * sigmoid(alphaPost * phiPost.call(normalised) + bPost);
        var input = (pre.unsqueeze(-1) * x).sum(-2);
        return post.unsqueeze(-1) * layer.call(input).unsqueeze(-2);
    }
}
