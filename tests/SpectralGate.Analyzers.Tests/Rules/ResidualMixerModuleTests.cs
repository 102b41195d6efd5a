using Microsoft.CodeAnalysis.Testing;
using SpectralGate.Analyzers.Rules;
using SpectralGate.Analyzers.Tests.Infrastructure;
using VerifySG0001 = SpectralGate.Analyzers.Tests.Infrastructure.Verify<SpectralGate.Analyzers.Rules.ResidualMixerAnalyzer>;

namespace SpectralGate.Analyzers.Tests.Rules;

/// <summary>
/// SG0001 on a dynamic mixer computed by a submodule of its own (<c>var Hres = mixer.call(x); Hres.matmul(x)</c>): the
/// spelling a model takes when a probe must hook the mixer. The mixer module's forward is read when it is in the same
/// file; x is [batch, tokens, n = 4, 16].
/// </summary>
public class ResidualMixerModuleTests
{
    private static string Source(string mixerForward, string blockForward = "var Hres = mixer.call(x); return {|#0:Hres.matmul(x)|} + layer.call(x);", string mixerType = "Mixer", string mixerModifiers = "sealed") => Sources.Usings + $$"""
        namespace Models
        {
            {{mixerModifiers}} class Mixer : nn.Module<Tensor, Tensor>
            {
                private readonly long n = 4;
                private readonly Linear phi = nn.Linear(64, 16);
                private readonly Parameter alpha = nn.Parameter(full(1, 0.01));
                private readonly Parameter b = nn.Parameter(eye(4));
                public Mixer() : base("mixer") => RegisterComponents();
                public override Tensor forward(Tensor x)
                {
                    {{mixerForward}}
                }
            }

            sealed class Block : nn.Module<Tensor, Tensor>
            {
                private readonly {{mixerType}} mixer = new Mixer();
                private readonly Linear layer = nn.Linear(16, 16);
                public Block() : base("block") => RegisterComponents();
                public override Tensor forward(Tensor x)
                {
                    {{blockForward}}
                }
            }
        }
        """;

    private const string Hc = "var logits = phi.call(x.flatten(-2)).view(x.shape[0], x.shape[1], n, n); return b + alpha * tanh(logits);";

    private const string Sinkhorn = """
        var H = (alpha * phi.call(x.flatten(-2)).view(x.shape[0], x.shape[1], n, n) + b).exp();
        for (int i = 0; i < 20; i++) { H = H / H.sum(-1, keepdim: true); H = H / H.sum(-2, keepdim: true); }
        return H;
        """;

    private static DiagnosticResult Expected(string name) => new DiagnosticResult(ResidualMixerAnalyzer.Rule).WithLocation(0).WithArguments(name);

    [TestCase(Hc, TestName = "HC: b + alpha tanh of a projection")]
    [TestCase("return phi.call(x.flatten(-2)).view(x.shape[0], x.shape[1], n, n);", TestName = "projection returned directly")]
    [TestCase("return phi.call(x.flatten(-2)).view(x.shape[0], x.shape[1], n, n).softmax(-1);", TestName = "row softmax alone")]
    public Task Unconstrained_mixer_module_is_reported(string mixerForward) => VerifySG0001.Diagnostics(Source(mixerForward), Expected("Hres"));

    [Test]
    public Task Unconstrained_mixer_module_called_inline_is_reported() => VerifySG0001.Diagnostics(
        Source(Hc, "return {|#0:mixer.forward(x).matmul(x)|} + layer.call(x);"), Expected("mixer"));

    [Test]
    public Task Unconstrained_mixer_module_that_is_not_sealed_is_reported() => VerifySG0001.Diagnostics(Source(Hc, mixerModifiers: "public"), Expected("Hres"));

    [TestCase(Sinkhorn, TestName = "mHC: Sinkhorn-Knopp in the module")]
    [TestCase("var A = phi.call(x.flatten(-2)).view(x.shape[0], x.shape[1], n, n); return A / linalg.matrix_norm(A, 2).unsqueeze(-1).unsqueeze(-1);", TestName = "sHC: spectral-norm division in the module")]
    [TestCase("var A = phi.call(x.flatten(-2)).view(x.shape[0], x.shape[1], n, n); return matrix_exp(A - A.mT);", TestName = "JPmHC: matrix_exp of a skew matrix in the module")]
    public Task Constrained_mixer_module_is_silent(string mixerForward) => VerifySG0001.Diagnostics(
        Source(mixerForward, "var Hres = mixer.call(x); return Hres.matmul(x) + layer.call(x);"));

    [Test]
    public Task Mixer_module_of_a_base_type_is_silent() => VerifySG0001.Diagnostics(
        Source(Hc, "var Hres = mixer.call(x); return Hres.matmul(x) + layer.call(x);", mixerType: "nn.Module<Tensor, Tensor>"));

    [Test]
    public Task Mixer_module_with_the_identity_path_kept_is_silent() => VerifySG0001.Diagnostics(
        Source(Hc, "var Hres = mixer.call(x); return x + Hres.matmul(x);"));

    [Test]
    public Task Mixer_module_reading_something_else_than_the_residual_is_silent() => VerifySG0001.Diagnostics(
        Source(Hc, "var Hres = mixer.call(ones(2, 3, 4, 16)); return Hres.matmul(x) + layer.call(x);"));

    [Test]
    public Task Mixer_module_of_another_file_is_silent() => VerifySG0001.Diagnostics(Sources.Usings + """
        namespace Models
        {
            sealed class Block : nn.Module<Tensor, Tensor>
            {
                private readonly Linear layer = nn.Linear(16, 16);
                private readonly nn.Module<Tensor, Tensor> mixer = nn.Identity();
                public Block() : base("block") => RegisterComponents();
                public override Tensor forward(Tensor x)
                {
                    var Hres = mixer.call(x);
                    return Hres.matmul(x) + layer.call(x);
                }
            }
        }
        """);
}
