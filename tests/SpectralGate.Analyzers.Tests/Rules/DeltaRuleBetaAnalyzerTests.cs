using Microsoft.CodeAnalysis.Testing;
using SpectralGate.Analyzers.CodeFixes.Rules;
using SpectralGate.Analyzers.Rules;
using SpectralGate.Analyzers.Tests.Infrastructure;
using VerifySG0003 = SpectralGate.Analyzers.Tests.Infrastructure.Verify<SpectralGate.Analyzers.Rules.DeltaRuleBetaAnalyzer>;

namespace SpectralGate.Analyzers.Tests.Rules;

public class DeltaRuleBetaAnalyzerTests
{
    private static string Delta(string beta, string transition) => Sources.Usings + $$"""
        class DeltaNet
        {
            Tensor Step(Tensor S, Tensor x, Tensor k, Tensor v, long d)
            {
                var beta = {{beta}};
                var I = eye(d);
                var transition = {{transition}};
                return S.matmul(transition) + beta * v.outer(k);
            }
        }
        """;

    [TestCase("{|#0:sigmoid(x)|}", "sigmoid(x)", "I - beta * outer(k, k)", TestName = "using static sigmoid, outer")]
    [TestCase("{|#0:torch.sigmoid(x)|}", "torch.sigmoid(x)", "I - beta * k.unsqueeze(-1).matmul(k.unsqueeze(-2))", TestName = "matmul of column and row")]
    [TestCase("{|#0:x.sigmoid()|}", "x.sigmoid()", "I - beta * k.unsqueeze(-1) * k.unsqueeze(-2)", TestName = "broadcast outer product")]
    [TestCase("{|#0:F.sigmoid(x)|}", "F.sigmoid(x)", "eye(d) - k.outer(k) * beta", TestName = "inline eye, beta last")]
    [TestCase("{|#0:nn.functional.sigmoid(x)|}", "nn.functional.sigmoid(x)", "I - einsum(\"i,j->ij\", k, k).mul(beta)", TestName = "einsum outer")]
    public Task Sigmoid_step_size_is_reported(string beta, string text, string transition) =>
        VerifySG0003.Diagnostics(Delta(beta, transition), new DiagnosticResult(DeltaRuleBetaAnalyzer.Rule).WithLocation(0).WithArguments(text));

    [TestCase("2 * sigmoid(x)", "I - beta * outer(k, k)", TestName = "beta in (0, 2)")]
    [TestCase("sigmoid(x)", "I - beta * outer(k, v)", TestName = "not an outer product of one vector")]
    [TestCase("sigmoid(x)", "S - beta * outer(k, k)", TestName = "not the identity")]
    [TestCase("x", "I - beta * outer(k, k)", TestName = "unknown beta")]
    [TestCase("tanh(x) + 1", "I - beta * outer(k, k)", TestName = "beta of unknown range")]
    public Task Safe_or_unknown_is_silent(string beta, string transition) => VerifySG0003.Diagnostics(Delta(beta, transition));

    [Test]
    public Task Fix_doubles_beta() => VerifySG0003.Fix<DeltaRuleBetaFixer>(
        Delta("{|SG0003:sigmoid(x)|}", "I - beta * outer(k, k)"),
        Delta("2 * sigmoid(x)", "I - beta * outer(k, k)"));

    [Test]
    public Task Fix_parenthesises_inline_beta() => VerifySG0003.Fix<DeltaRuleBetaFixer>(
        Delta("x", "I - {|SG0003:sigmoid(x)|}.unsqueeze(-1) * outer(k, k)"),
        Delta("x", "I - (2 * sigmoid(x)).unsqueeze(-1) * outer(k, k)"));
}
