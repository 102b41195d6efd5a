using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace HyperConnections;

/// <summary>Pre-norm causal multi-head self-attention over [batch, tokens, width].</summary>
public sealed class CausalAttention : nn.Module<Tensor, Tensor>
{
    private readonly long heads;
    private readonly Linear query;
    private readonly Linear key;
    private readonly Linear value;
    private readonly Linear output;

    public CausalAttention(long width, long heads) : base(nameof(CausalAttention))
    {
        this.heads = heads;
        query = nn.Linear(width, width, hasBias: false);
        key = nn.Linear(width, width, hasBias: false);
        value = nn.Linear(width, width, hasBias: false);
        output = nn.Linear(width, width, hasBias: false);
        RegisterComponents();
    }

    public override Tensor forward(Tensor h)
    {
        var (batch, tokens, width) = (h.shape[0], h.shape[1], h.shape[2]);
        var x = StreamNorm.Of(h);
        var q = query.call(x).view(batch, tokens, heads, -1).transpose(1, 2);
        var k = key.call(x).view(batch, tokens, heads, -1).transpose(1, 2);
        var v = value.call(x).view(batch, tokens, heads, -1).transpose(1, 2);
        var scores = q.matmul(k.transpose(-2, -1)) / Math.Sqrt(width / heads);
        var future = ones(tokens, tokens, dtype: ScalarType.Bool, device: h.device).triu(1);
        var weights = scores.masked_fill(future, double.NegativeInfinity).softmax(-1);
        return output.call(weights.matmul(v).transpose(1, 2).reshape(batch, tokens, width));
    }
}
