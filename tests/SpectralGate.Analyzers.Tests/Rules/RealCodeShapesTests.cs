using SpectralGate.Analyzers.Rules;
using SpectralGate.Analyzers.Tests.Infrastructure;

namespace SpectralGate.Analyzers.Tests.Rules;

/// <summary>
/// Shapes of public TorchSharp model code (Llama, Phi and SAM ports), written fresh: RMSNorm, rotary embeddings,
/// attention, gated MLPs, a generation loop with a KV cache, top-p sampling, window attention. None of them is what
/// a rule is about, so every rule must stay silent on all of it.
/// </summary>
public class RealCodeShapesTests
{
    private const string Source = Sources.Usings + """
        using System;
        using System.Collections.Generic;

        namespace Ports
        {
            class RMSNorm : nn.Module<Tensor, Tensor>
            {
                private readonly Parameter weight;
                private readonly double eps;
                public RMSNorm(long dim, double eps = 1e-6) : base("rmsnorm") { weight = nn.Parameter(ones(dim)); this.eps = eps; RegisterComponents(); }
                public override Tensor forward(Tensor x)
                {
                    using var scope = NewDisposeScope();
                    var norm = x * rsqrt(x.pow(2).mean(new long[] { -1 }, keepdim: true) + eps);
                    return (norm * weight).MoveToOuterDisposeScope();   // expect: silent
                }
            }

            class Rotary
            {
                private readonly Tensor invFreq;
                public Rotary(long dim, double theta = 10000) { invFreq = 1.0 / pow(theta, arange(0, dim, 2).to_type(ScalarType.Float32) / dim); }
                public (Tensor Cos, Tensor Sin) Angles(long seqLen)
                {
                    var t = arange(seqLen).to_type(ScalarType.Float32);
                    var freqs = outer(t, invFreq);
                    var emb = cat(new[] { freqs, freqs }, -1);
                    return (emb.cos(), emb.sin());   // expect: silent
                }
                public static Tensor RotateHalf(Tensor x)
                {
                    var halves = x.chunk(2, -1);
                    return cat(new[] { -halves[1], halves[0] }, -1);
                }
            }

            class Attention : nn.Module<Tensor, Tensor>
            {
                private readonly Linear q_proj = nn.Linear(64, 64), k_proj = nn.Linear(64, 64), v_proj = nn.Linear(64, 64), o_proj = nn.Linear(64, 64, hasBias: false);
                private readonly long heads = 4;
                public Attention() : base("attn") => RegisterComponents();
                public override Tensor forward(Tensor x)
                {
                    var (B, T) = (x.shape[0], x.shape[1]);
                    var q = q_proj.call(x).view(B, T, heads, -1).transpose(1, 2);
                    var k = k_proj.call(x).view(B, T, heads, -1).transpose(1, 2);
                    var v = v_proj.call(x).view(B, T, heads, -1).transpose(1, 2);
                    var scores = q.matmul(k.transpose(-2, -1)) / Math.Sqrt(16);
                    var mask = ones(T, T).tril();
                    scores = scores.masked_fill(mask == 0, double.NegativeInfinity);
                    var attn = F.softmax(scores, -1);
                    var y = attn.matmul(v).transpose(1, 2).contiguous().view(B, T, -1);
                    return x + o_proj.call(y);   // expect: silent
                }
            }

            class GatedMlp : nn.Module<Tensor, Tensor>
            {
                private readonly Linear gate = nn.Linear(64, 256, hasBias: false), up = nn.Linear(64, 256, hasBias: false), down = nn.Linear(256, 64, hasBias: false);
                public GatedMlp() : base("mlp") => RegisterComponents();
                public override Tensor forward(Tensor x)
                {
                    var g = gate.call(x);
                    return down.call(g * sigmoid(g) * up.call(x));   // expect: silent, SiLU gating is not a recurrence
                }
            }

            class Decoder : nn.Module<Tensor, Tensor>
            {
                private readonly ModuleList<nn.Module<Tensor, Tensor>> layers = new ModuleList<nn.Module<Tensor, Tensor>>();
                private readonly Linear lm_head = nn.Linear(64, 100, hasBias: false);
                public Decoder() : base("decoder") { for (int i = 0; i < 2; i++) { layers.Add(new Attention()); layers.Add(new GatedMlp()); } RegisterComponents(); }
                public override Tensor forward(Tensor x)
                {
                    foreach (var layer in layers) { x = layer.call(x); }
                    return lm_head.call(x);
                }

                public Tensor Generate(Tensor prompt, int steps, double temperature, double topP)
                {
                    var tokens = prompt;
                    Tensor? cache = null;
                    for (int s = 0; s < steps; s++)
                    {
                        var logits = forward(tokens)[.., -1, ..] / temperature;
                        var probs = F.softmax(logits, -1);
                        var (sorted, indices) = probs.sort(-1, descending: true);
                        var cumulative = sorted.cumsum(-1);
                        sorted = sorted.masked_fill(cumulative - sorted > topP, 0.0);
                        sorted = sorted / sorted.sum(-1, keepdim: true);
                        var next = indices.gather(-1, multinomial(sorted, 1));
                        cache = cache is null ? next : cat(new[] { cache, next }, -1);
                        tokens = cat(new[] { tokens, next }, -1);   // expect: silent
                    }
                    return tokens;
                }
            }

            class LayerNorm2d : nn.Module<Tensor, Tensor>
            {
                private readonly Parameter weight = nn.Parameter(ones(32)), bias = nn.Parameter(zeros(32));
                public LayerNorm2d() : base("ln2d") => RegisterComponents();
                public override Tensor forward(Tensor x)
                {
                    var u = x.mean(new long[] { 1 }, keepdim: true);
                    var s = (x - u).pow(2).mean(new long[] { 1 }, keepdim: true);
                    x = (x - u) / sqrt(s + 1e-6);
                    return weight[.., TensorIndex.None, TensorIndex.None] * x + bias[.., TensorIndex.None, TensorIndex.None];   // expect: silent
                }
            }

            class WindowAttention : nn.Module<Tensor, Tensor>
            {
                private readonly Linear qkv = nn.Linear(32, 96);
                private readonly Parameter rel_pos_h = nn.Parameter(zeros(27, 8)), rel_pos_w = nn.Parameter(zeros(27, 8));
                public WindowAttention() : base("window") => RegisterComponents();
                public override Tensor forward(Tensor x)
                {
                    var parts = qkv.call(x).chunk(3, -1);
                    var attn = parts[0].matmul(parts[1].mT) * 0.125;
                    var Rh = rel_pos_h[..14];
                    attn = attn + einsum("bhwc,hkc->bhwk", parts[0], Rh);
                    return attn.softmax(-1).matmul(parts[2]);   // expect: silent
                }
            }

            static class Training
            {
                public static Tensor Ema(IEnumerable<Tensor> losses)
                {
                    var avg = zeros(1);
                    foreach (var loss in losses) { avg = 0.99 * avg + 0.01 * loss; }   // expect: silent, a constant EMA
                    return avg;
                }

                public static Tensor SpectralNorm(Tensor W)
                {
                    var (_, S, Vh) = linalg.svd(W, fullMatrices: false);
                    return S[0] * Vh[0];   // expect: silent, Vh is used
                }

                public static Tensor Covariance(Tensor X) => linalg.eigvalsh(X.mT.matmul(X) / X.shape[0]);   // expect: silent, a Gram matrix
            }
        }
        """;

    [Test]
    public Task SG0001_is_silent() => Verify<ResidualMixerAnalyzer>.Diagnostics(Source);

    [Test]
    public Task SG0002_is_silent() => Verify<PositiveTransitionAnalyzer>.Diagnostics(Source);

    [Test]
    public Task SG0003_is_silent() => Verify<DeltaRuleBetaAnalyzer>.Diagnostics(Source);

    [Test]
    public Task SG0004_is_silent() => Verify<EighSymmetryAnalyzer>.Diagnostics(Source);

    [Test]
    public Task SG0005_is_silent() => Verify<FullSvdAnalyzer>.Diagnostics(Source);

    [Test]
    public Task SG0006_is_silent_outside_forward() => Verify<DecompositionInForwardAnalyzer>.Diagnostics(Source);
}
