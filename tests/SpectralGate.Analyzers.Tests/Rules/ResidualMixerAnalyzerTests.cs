using Microsoft.CodeAnalysis.Testing;
using SpectralGate.Analyzers.Rules;
using SpectralGate.Analyzers.Tests.Infrastructure;
using VerifySG0001 = SpectralGate.Analyzers.Tests.Infrastructure.Verify<SpectralGate.Analyzers.Rules.ResidualMixerAnalyzer>;

namespace SpectralGate.Analyzers.Tests.Rules;

public class ResidualMixerAnalyzerTests
{
    /// <summary>A hyper-connection block: x holds n residual streams as rows, [n, d].</summary>
    internal static string Block(string field, string forward, string members = "") => Sources.Usings + $$"""
        namespace Models
        {
            [System.AttributeUsage(System.AttributeTargets.Method)]
            sealed class SpectralConstraintAttribute : System.Attribute { }

            class HyperBlock : nn.Module<Tensor, Tensor>
            {
                private readonly Linear layer = nn.Linear(64, 64);
                {{field}}

                public HyperBlock(long n) : base("hc")
                {
                    RegisterComponents();
                }

                public override Tensor forward(Tensor x)
                {
                    {{forward}}
                }

                {{members}}
            }
        }
        """;

    private const string SquareParameter = "private readonly Parameter H = nn.Parameter(eye(4));";

    [TestCase("return {|#0:H.matmul(x)|} + layer.call(x);", TestName = "instance matmul added to layer output")]
    [TestCase("return {|#0:matmul(H, x)|} + layer.call(x);", TestName = "using static matmul")]
    [TestCase("return {|#0:torch.mm(H, x)|} + layer.call(x);", TestName = "torch.mm")]
    [TestCase("return {|#0:torch.einsum(\"ij,jd->id\", H, x)|} + layer.call(x);", TestName = "einsum over the stream axis")]
    [TestCase("x = {|#0:H.matmul(x)|}; return x + layer.call(x);", TestName = "replaces the residual")]
    [TestCase("var mixed = {|#0:H.matmul(x)|}; var y = layer.call(mixed); return mixed + y;", TestName = "through locals")]
    [TestCase("var P = H.softmax(-1); return {|#0:P.matmul(x)|} + layer.call(x);", TestName = "softmax alone is not Sinkhorn")]
    [TestCase("var P = H * 0.5; return {|#0:P.matmul(x)|} + layer.call(x);", TestName = "scaled")]
    [TestCase("return {|#0:H.matmul(x)|};", TestName = "returned as the new residual")]
    public Task Unconstrained_mixer_is_reported(string forward) =>
        VerifySG0001.Diagnostics(Block(SquareParameter, forward), new DiagnosticResult(ResidualMixerAnalyzer.Rule).WithLocation(0).WithArguments("H"));

    [TestCase("private readonly Parameter H = nn.Parameter(randn(4, 4));", TestName = "randn(n, n)")]
    [TestCase("private Parameter H;", "H = nn.Parameter(torch.zeros(n, n));", TestName = "constructor, zeros(n, n)")]
    [TestCase("private Parameter H;", "var init = eye(n) + 0.01 * randn(n, n); H = nn.Parameter(init);", TestName = "constructor, through a local")]
    public Task Square_creations_are_recognised(string field, string ctor = "")
    {
        var source = Block(field, "return {|#0:H.matmul(x)|} + layer.call(x);").Replace("RegisterComponents();", ctor + " RegisterComponents();", StringComparison.Ordinal);
        return VerifySG0001.Diagnostics(source, new DiagnosticResult(ResidualMixerAnalyzer.Rule).WithLocation(0).WithArguments("H"));
    }

    [Test]
    public Task Bias_free_square_linear_on_transposed_streams_is_reported() => VerifySG0001.Diagnostics(
        Block("private readonly Linear mix = nn.Linear(4, 4, hasBias: false);", "return {|#0:mix.call(x.mT)|}.mT + layer.call(x);"),
        new DiagnosticResult(ResidualMixerAnalyzer.Rule).WithLocation(0).WithArguments("mix"));

    [TestCase("var P = H.exp(); for (int i = 0; i < 20; i++) { P = P / P.sum(-1, true); P = P / P.sum(-2, true); } return P.matmul(x) + layer.call(x);", TestName = "Sinkhorn-Knopp")]
    [TestCase("Tensor L = H; for (int i = 0; i < 20; i++) { L = L - L.logsumexp(-1, true); L = L - L.logsumexp(-2, true); } return L.exp().matmul(x) + layer.call(x);", TestName = "log-domain Sinkhorn")]
    [TestCase("var P = H.softmax(-1); P = P / P.sum(0, true); P = P / P.sum(1, true); return P.matmul(x) + layer.call(x);", TestName = "softmax then Sinkhorn")]
    [TestCase("var A = H - H.mT; var I = eye(4); var Q = linalg.solve(I + A, I - A); return Q.matmul(x) + layer.call(x);", TestName = "Cayley with solve")]
    [TestCase("var A = (H - H.mT) / 2; return linalg.inv(eye(4) + A).matmul(eye(4) - A).matmul(x) + layer.call(x);", TestName = "Cayley with inv")]
    [TestCase("return matrix_exp(H - H.T).matmul(x) + layer.call(x);", TestName = "matrix_exp of skew")]
    [TestCase("var (Q, R) = linalg.qr(H); return Q.matmul(x) + layer.call(x);", TestName = "QR")]
    [TestCase("var W = H / linalg.matrix_norm(H, 2); return W.matmul(x) + layer.call(x);", TestName = "spectral norm division")]
    [TestCase("return (H / linalg.svdvals(H)[0]).matmul(x) + layer.call(x);", TestName = "largest singular value division")]
    [TestCase("return Project(H).matmul(x) + layer.call(x);", TestName = "attribute-marked constraint")]
    [TestCase("return Opaque(H).matmul(x) + layer.call(x);", TestName = "opaque helper")]   // expect: silent, a mutable delegate cannot be followed
    public Task Constrained_or_opaque_mixer_is_silent(string forward) => VerifySG0001.Diagnostics(Block(SquareParameter, forward, """
        [SpectralConstraint] private static Tensor Project(Tensor w) => w;
        private static System.Func<Tensor, Tensor> Opaque = w => w;
        """));

    [TestCase("return H.matmul(x).sum();", TestName = "not fed back into the residual")]
    [TestCase("var q = layer.call(x); return q + H.matmul(q).relu();", TestName = "relu breaks the linear path")]
    [TestCase("return x + x.matmul(H);", TestName = "feature-axis projection")]
    [TestCase("return x + torch.einsum(\"nd,de->ne\", x, H);", TestName = "einsum over the feature axis")]
    public Task Non_mixing_use_is_silent(string forward) => VerifySG0001.Diagnostics(Block(SquareParameter, forward));

    [TestCase("private readonly Parameter H = nn.Parameter(randn(4, 8));", TestName = "rectangular")]
    [TestCase("private readonly Linear mix = nn.Linear(4, 4);", "mix", TestName = "Linear with bias")]
    [TestCase("private readonly Parameter H;", TestName = "shape unknown")]
    public Task Non_square_or_unknown_shape_is_silent(string field, string name = "H")
    {
        var forward = name == "H" ? "return H.matmul(x) + layer.call(x);" : "return mix.call(x.mT).mT + layer.call(x);";
        return VerifySG0001.Diagnostics(Block(field, forward));
    }

    [Test]
    public Task Editorconfig_constraint_methods() => VerifySG0001.Diagnostics(
        Block(SquareParameter, "return Models.Constraints.Birkhoff(H).matmul(x) + layer.call(x);") + """

        namespace Models { static class Constraints { public static Tensor Birkhoff(Tensor w) => w; } }
        """,
        "spectralgate.constraint_methods = Models.Constraints.Birkhoff");

    [Test]
    public Task Outside_a_module_is_silent() => VerifySG0001.Diagnostics(Sources.Usings + """
        class NotAModule
        {
            private readonly Parameter H = nn.Parameter(eye(4));
            Tensor Mix(Tensor x) => H.matmul(x) + x;
        }
        """);
}
