using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AnalyzerShowcase.Models;

public sealed class SpectralProbes : nn.Module<Tensor, Tensor>
{
    private readonly Parameter W;

    public SpectralProbes(long d) : base(nameof(SpectralProbes))
    {
        W = nn.Parameter(randn(d, d));
        RegisterComponents();
    }

    /// <summary>Risky: eigvalsh reads one triangle of a general matrix.</summary>
    public Tensor WeightEigenvalues() => linalg.eigvalsh(W); // SG0004

    /// <summary>Safe: a Gram matrix and a symmetrised matrix.</summary>
    public Tensor GramEigenvalues() => linalg.eigvalsh(W.mT.matmul(W));

    public Tensor SymmetricPartEigenvalues() => linalg.eigvalsh((W + W.mT) / 2);

    /// <summary>Risky: full SVD for singular values only.</summary>
    public Tensor SingularValues()
    {
        var (_, s, _) = linalg.svd(W); // SG0005
        return s;
    }

    /// <summary>Safe.</summary>
    public Tensor SingularValuesDirect() => linalg.svdvals(W);

    /// <summary>SG0006 (enabled in this sample's .editorconfig): a decomposition on every step.</summary>
    public override Tensor forward(Tensor x) => x.matmul(W) / linalg.svdvals(W).max(); // SG0006
}
