using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AnalyzerShowcase.Models;

// x: [n, d], one row per residual stream (hyper-connections with expansion rate n).

/// <summary>Risky: the n x n mixer is used raw.</summary>
public sealed class RawHyperBlock : nn.Module<Tensor, Tensor>
{
    private readonly Parameter H;
    private readonly Linear layer;

    public RawHyperBlock(long n, long d) : base(nameof(RawHyperBlock))
    {
        H = nn.Parameter(eye(n));
        layer = nn.Linear(d, d);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => H.matmul(x) + layer.call(x); // SG0001
}

/// <summary>Risky: a bias-free Linear(n, n) over the stream axis.</summary>
public sealed class LinearHyperBlock : nn.Module<Tensor, Tensor>
{
    private readonly Linear mix;
    private readonly Linear layer;

    public LinearHyperBlock(long n, long d) : base(nameof(LinearHyperBlock))
    {
        mix = nn.Linear(n, n, hasBias: false);
        layer = nn.Linear(d, d);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        x = mix.call(x.mT).mT; // SG0001
        return x + layer.call(x);
    }
}

/// <summary>Safe: mHC, Sinkhorn-Knopp onto the Birkhoff polytope.</summary>
public sealed class SinkhornHyperBlock : nn.Module<Tensor, Tensor>
{
    private readonly Parameter logits;
    private readonly Linear layer;

    public SinkhornHyperBlock(long n, long d) : base(nameof(SinkhornHyperBlock))
    {
        logits = nn.Parameter(zeros(n, n));
        layer = nn.Linear(d, d);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        var P = logits.exp();
        for (int i = 0; i < 20; i++)
        {
            P = P / P.sum(-1, true);
            P = P / P.sum(-2, true);
        }

        return P.matmul(x) + layer.call(x);
    }
}

/// <summary>Safe: JPmHC-style orthogonal mixer by the Cayley transform.</summary>
public sealed class CayleyHyperBlock : nn.Module<Tensor, Tensor>
{
    private readonly Parameter W;
    private readonly Linear layer;
    private readonly long n;

    public CayleyHyperBlock(long n, long d) : base(nameof(CayleyHyperBlock))
    {
        this.n = n;
        W = nn.Parameter(randn(n, n) * 0.01);
        layer = nn.Linear(d, d);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        var A = W - W.mT;
        var I = eye(n);
        var Q = linalg.solve(I + A, I - A);
        return Q.matmul(x) + layer.call(x);
    }
}

/// <summary>Safe: sHC-style division by the spectral norm.</summary>
public sealed class SpectralNormHyperBlock : nn.Module<Tensor, Tensor>
{
    private readonly Parameter H;
    private readonly Linear layer;

    public SpectralNormHyperBlock(long n, long d) : base(nameof(SpectralNormHyperBlock))
    {
        H = nn.Parameter(eye(n));
        layer = nn.Linear(d, d);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => (H / linalg.matrix_norm(H, 2)).matmul(x) + layer.call(x);
}

/// <summary>Safe: constraints the analyzer is told about (attribute, .editorconfig).</summary>
public sealed class MarkedHyperBlock : nn.Module<Tensor, Tensor>
{
    private readonly Parameter H;
    private readonly Parameter G;
    private readonly Linear layer;

    public MarkedHyperBlock(long n, long d) : base(nameof(MarkedHyperBlock))
    {
        H = nn.Parameter(eye(n));
        G = nn.Parameter(eye(n));
        layer = nn.Linear(d, d);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => Project(H).matmul(x) + ExternalProjections.Birkhoff(G).matmul(x) + layer.call(x);

    [SpectralGate.SpectralConstraint]
    private static Tensor Project(Tensor w)
    {
        var (q, _) = linalg.qr(w);
        return q;
    }
}

public static class ExternalProjections
{
    public static Tensor Birkhoff(Tensor w) => w.softmax(-1);
}
