using Microsoft.CodeAnalysis.Testing;
using SpectralGate.Analyzers.Rules;
using SpectralGate.Analyzers.Tests.Infrastructure;
using VerifySG0001 = SpectralGate.Analyzers.Tests.Infrastructure.Verify<SpectralGate.Analyzers.Rules.ResidualMixerAnalyzer>;

namespace SpectralGate.Analyzers.Tests.Rules;

/// <summary>
/// SG0001 on mixers computed from the streams themselves (HC's dynamic mixer, mHC's H_res): x holds n = 4 residual
/// streams of 64 features, [B, n, d] ([B, T, n, d] per token), and a projection of x reshaped to n x n mixes them.
/// </summary>
public class ResidualMixerDynamicTests
{
    private const string Fields = """
        private readonly long n = 4;
        private readonly Linear proj = nn.Linear(256, 16);
        private readonly Linear projA = nn.Linear(256, 4), projB = nn.Linear(256, 4);
        private readonly Parameter W = nn.Parameter(randn(16, 256));
        private readonly Parameter alpha = nn.Parameter(ones(1));
        private readonly Tensor perms = stack(new[] { eye(4), eye(4).flip(0), eye(4).roll(1, 0) });
        """;

    private const string Members = """
        [SpectralConstraint] private static Tensor Project(Tensor w) => w;
        """;

    private static string Block(string forward) => ResidualMixerAnalyzerTests.Block(Fields, forward, Members);

    private static DiagnosticResult Expected(string name) => new DiagnosticResult(ResidualMixerAnalyzer.Rule).WithLocation(0).WithArguments(name);

    [TestCase("var Hres = proj.call(x.flatten(1)).view(-1, n, n); return {|#0:Hres.bmm(x)|} + layer.call(x);", TestName = "view then instance bmm")]
    [TestCase("var Hres = proj.call(x.flatten(1)).reshape(-1, n, n); return {|#0:bmm(Hres, x)|} + layer.call(x);", TestName = "reshape then using static bmm")]
    [TestCase("var Hres = proj.call(x.flatten(1)).view(-1, 4, 4); return {|#0:torch.matmul(Hres, x)|} + layer.call(x);", TestName = "constant sizes then torch.matmul")]
    [TestCase("var Hres = proj.call(x.flatten(-2)).view(x.shape[0], x.shape[1], n, n); return {|#0:torch.einsum(\"btij,btjd->btid\", Hres, x)|} + layer.call(x);", TestName = "per token, einsum")]
    [TestCase("var Hres = proj.call(x.flatten()).view(n, n); return {|#0:Hres.mm(x)|} + layer.call(x);", TestName = "one sample, mm")]
    [TestCase("var Hres = proj.call(x.flatten()).view(n, n); return {|#0:tensordot(Hres, x, new long[] { 1 }, new long[] { 0 })|} + layer.call(x);", TestName = "one sample, tensordot")]
    [TestCase("var Hres = proj.call(x.flatten()).view(n, n); return {|#0:Hres.tensordot(x, 1)|} + layer.call(x);", TestName = "one sample, instance tensordot over one axis")]
    [TestCase("var Hres = proj.call(x.flatten(1)).unflatten(-1, new long[] { n, n }); return {|#0:Hres.matmul(x)|} + layer.call(x);", TestName = "unflatten")]
    [TestCase("var Hres = F.linear(x.flatten(1), W).view(-1, n, n); return {|#0:Hres.bmm(x)|} + layer.call(x);", TestName = "functional linear with a Parameter")]
    [TestCase("var Hres = x.flatten(1).matmul(W.mT).view(-1, n, n); return {|#0:Hres.bmm(x)|} + layer.call(x);", TestName = "matmul with a Parameter")]
    [TestCase("var Hres = alpha * tanh(proj.call(x.flatten(1))).view(-1, n, n) + eye(n); return {|#0:Hres.bmm(x)|} + layer.call(x);", TestName = "HC: alpha tanh plus identity")]
    [TestCase("var Hres = proj.call(x.flatten(1)).view(-1, n, n); return {|#0:x.mT.matmul(Hres)|}.mT + layer.call(x);", TestName = "streams moved last")]
    [TestCase("var Hres = proj.call(x.flatten(1)).view(-1, n, n); x = {|#0:Hres.bmm(x)|}; return x + layer.call(x);", TestName = "assigned over the residual")]
    [TestCase("var Hres = proj.call(x.flatten(1)).view(-1, n, n).softmax(-1); return {|#0:Hres.bmm(x)|} + layer.call(x);", TestName = "row softmax alone")]   // expect: SG0001, row-stochastic only (see the rule page)
    [TestCase("var Hres = proj.call(x.flatten(1)).view(-1, n, n) / 4.0; return {|#0:Hres.bmm(x)|} + layer.call(x);", TestName = "scaled by a constant")]
    public Task Dynamic_mixer_is_reported(string forward) => VerifySG0001.Diagnostics(Block(forward), Expected("Hres"));

    [Test]
    public Task Dynamic_mixer_inline_is_named_by_its_projection() => VerifySG0001.Diagnostics(
        Block("return {|#0:proj.call(x.flatten(1)).view(-1, n, n).bmm(x)|} + layer.call(x);"), Expected("proj"));

    [TestCase("var P = proj.call(x.flatten(1)).view(-1, n, n).exp(); for (int i = 0; i < 20; i++) { P = P / P.sum(-1, true); P = P / P.sum(-2, true); } return P.bmm(x) + layer.call(x);", TestName = "mHC: Sinkhorn-Knopp")]
    [TestCase("var L = proj.call(x.flatten(1)).view(-1, n, n); for (int i = 0; i < 20; i++) { L = L - L.logsumexp(-1, true); L = L - L.logsumexp(-2, true); } return L.exp().bmm(x) + layer.call(x);", TestName = "mHC: log-domain Sinkhorn")]
    [TestCase("var r = ones(4, 1); var c = ones(1, 4); var P = proj.call(x.flatten(1)).view(-1, n, n).exp(); for (int i = 0; i < 20; i++) { P = P / P.sum(-1, true) * r; P = P / P.sum(-2, true) * c; } return P.bmm(x) + layer.call(x);", TestName = "TBP-mHC: Sinkhorn to given marginals")]
    [TestCase("var A = proj.call(x.flatten(1)).view(-1, n, n); var S = A - A.mT; var I = eye(n); var Q = linalg.solve(I + S, I - S); return Q.bmm(x) + layer.call(x);", TestName = "JPmHC: Cayley transform")]
    [TestCase("var A = proj.call(x.flatten(1)).view(-1, n, n); return matrix_exp(A - A.mT).bmm(x) + layer.call(x);", TestName = "JPmHC: matrix_exp of a skew matrix")]
    [TestCase("var A = proj.call(x.flatten(1)).view(-1, n, n); var (Q, R) = linalg.qr(A); return Q.bmm(x) + layer.call(x);", TestName = "JPmHC: QR's Q")]
    [TestCase("var A = proj.call(x.flatten(1)).view(-1, n, n); var W2 = A / linalg.matrix_norm(A, 2).unsqueeze(-1).unsqueeze(-1); return W2.bmm(x) + layer.call(x);", TestName = "sHC: division by the spectral norm")]
    [TestCase("var A = proj.call(x.flatten(1)).view(-1, n, n); return Project(A).bmm(x) + layer.call(x);", TestName = "SpectralConstraint attribute")]
    [TestCase("var coeffs = proj.call(x.flatten(1)).view(-1, 16).softmax(-1).narrow(1, 0, 3); var Hres = einsum(\"bk,kij->bij\", coeffs, perms); return Hres.bmm(x) + layer.call(x);", TestName = "mHC-lite: convex combination of permutations")]
    [TestCase("var coeffs = proj.call(x.flatten(1)).narrow(1, 0, 3).softmax(-1); var Hres = coeffs.matmul(perms.view(3, 16)).view(-1, n, n); return Hres.bmm(x) + layer.call(x);", TestName = "mHC-lite: combination reshaped to n x n")]
    [TestCase("""
        var A = projA.call(x.flatten(1)).view(-1, 2, 2).exp(); var B = projB.call(x.flatten(1)).view(-1, 2, 2).exp();
        for (int i = 0; i < 20; i++) { A = A / A.sum(-1, true); A = A / A.sum(-2, true); B = B / B.sum(-1, true); B = B / B.sum(-2, true); }
        var Hres = einsum("bij,bkl->bikjl", A, B).reshape(-1, 4, 4);
        return Hres.bmm(x) + layer.call(x);
        """, TestName = "KromHC: Kronecker product of doubly stochastic factors")]
    public Task Constrained_dynamic_mixer_is_silent(string forward) => VerifySG0001.Diagnostics(Block(forward));

    [Test]
    public Task Kronecker_product_of_unconstrained_factors_is_reported() => VerifySG0001.Diagnostics(Block("""
        var A = projA.call(x.flatten(1)).view(-1, 2, 2); var B = projB.call(x.flatten(1)).view(-1, 2, 2);
        var Hres = einsum("bij,bkl->bikjl", A, B).reshape(-1, 4, 4);
        return {|#0:Hres.bmm(x)|} + layer.call(x);   // expect: SG0001, neither factor is constrained
        """), Expected("Hres"));

    [TestCase("var Hres = proj.call(x.flatten(1)).view(-1, n, n); return x + Hres.bmm(x);", TestName = "identity path kept")]
    [TestCase("var Hres = proj.call(x.flatten(1)).view(-1, n, n); return x.matmul(Hres.mean(new long[] { 0 })) + layer.call(x);", TestName = "feature-axis product")]
    [TestCase("var Hres = proj.call(x.flatten()).view(n, n); return tensordot(x, Hres, 1) + layer.call(x);", TestName = "tensordot of x's last axis")]
    [TestCase("var Hres = proj.call(x.flatten(1)).view(-1, 2, 8); return Hres.matmul(x) + layer.call(x);", TestName = "not square")]
    [TestCase("var Hres = Opaque(x).view(-1, n, n); return Hres.bmm(x) + layer.call(x);", TestName = "origin not visible")]
    [TestCase("var Hres = proj.call(x.flatten(1)).view(-1, n, n); return Refine(Hres).bmm(x) + layer.call(x);", TestName = "opaque step after the projection")]
    [TestCase("var Wf = proj.call(x.flatten(1)).view(-1, n, n); return Wf.matmul(x.unsqueeze(-1)).squeeze(-1) + layer.call(x);", TestName = "fast weights on the feature axis")]
    [TestCase("var q = proj.call(x.flatten(1)).view(-1, n, 4); var Hres = q.matmul(q.mT).softmax(-1); return Hres.bmm(x) + layer.call(x);", TestName = "attention-like scores are not a projection")]
    public Task Unknown_or_non_mixing_use_is_silent(string forward) => VerifySG0001.Diagnostics(
        ResidualMixerAnalyzerTests.Block(Fields, forward, Members + """
            private static System.Func<Tensor, Tensor> Opaque = w => w;
            protected virtual Tensor Refine(Tensor h) => h;
            """));

    [Test]
    public Task Static_mixer_through_batched_einsum_is_reported() => VerifySG0001.Diagnostics(
        ResidualMixerAnalyzerTests.Block("private readonly Parameter H = nn.Parameter(eye(4));", "return {|#0:torch.einsum(\"ij,bjd->bid\", H, x)|} + layer.call(x);"),
        Expected("H"));

    [Test]
    public Task Static_mixer_through_tensordot_is_reported() => VerifySG0001.Diagnostics(
        ResidualMixerAnalyzerTests.Block("private readonly Parameter H = nn.Parameter(eye(4));", "return {|#0:tensordot(H, x, new long[] { 1 }, new long[] { -2 })|}.transpose(0, 1) + layer.call(x);"),
        Expected("H"));

    [Test]
    public Task Static_mixer_through_tensordot_on_the_feature_axis_is_silent() => VerifySG0001.Diagnostics(
        ResidualMixerAnalyzerTests.Block("private readonly Parameter H = nn.Parameter(eye(64));", "return tensordot(x, H, new long[] { -1 }, new long[] { 0 }) + layer.call(x);"));
}
