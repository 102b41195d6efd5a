using Microsoft.CodeAnalysis.Testing;
using SpectralGate.Analyzers.Rules;
using SpectralGate.Analyzers.Tests.Infrastructure;
using VerifySG0004 = SpectralGate.Analyzers.Tests.Infrastructure.Verify<SpectralGate.Analyzers.Rules.EighSymmetryAnalyzer>;

namespace SpectralGate.Analyzers.Tests.Rules;

public class EighSymmetryAnalyzerTests
{
    private static string Code(string body) => Sources.Usings + $$"""
        namespace Models
        {
            [System.AttributeUsage(System.AttributeTargets.Method)]
            sealed class SymmetricMatrixAttribute : System.Attribute { }

            static class Helpers
            {
                [SymmetricMatrix] public static Tensor Hessian(Tensor x) => x;
                public static Tensor Laplacian(Tensor x) => x;
                public static System.Func<Tensor, Tensor> Opaque = x => x;
            }

            class Probe : nn.Module<Tensor, Tensor>
            {
                private readonly Parameter W = nn.Parameter(randn(8, 8));
                private readonly Linear proj = nn.Linear(8, 8);
                public Probe() : base("probe") => RegisterComponents();
                public override Tensor forward(Tensor X)
                {
                    {{body}}
                }
            }
        }
        """;

    [TestCase("return {|#0:linalg.eigvalsh(W)|};", "linalg.eigvalsh", "W", TestName = "eigvalsh of a Parameter")]
    [TestCase("var (L, Q) = {|#0:torch.linalg.eigh(proj.weight)|}; return L;", "linalg.eigh", "proj.weight", TestName = "eigh of a Linear weight")]
    [TestCase("var M = W.matmul(proj.weight); return {|#0:linalg.eigvalsh(M)|};", "linalg.eigvalsh", "M", TestName = "product of two matrices through a local")]
    [TestCase("var A = randn(8, 8); return {|#0:linalg.eigvalsh(A * 2)|};", "linalg.eigvalsh", "A * 2", TestName = "random matrix scaled")]
    [TestCase("return {|#0:linalg.eigvalsh(W - W.mT)|};", "linalg.eigvalsh", "W - W.mT", TestName = "skew-symmetric")]
    [TestCase("return {|#0:linalg.eigvalsh(W.matmul(W))|};", "linalg.eigvalsh", "W.matmul(W)", TestName = "square of a matrix")]
    public Task Not_known_symmetric_is_reported(string body, string method, string argument) =>
        VerifySG0004.Diagnostics(Code(body), new DiagnosticResult(EighSymmetryAnalyzer.Rule).WithLocation(0).WithArguments(method, argument));

    [TestCase("return linalg.eigvalsh(W.mT.matmul(W));", TestName = "Gram W^T W")]
    [TestCase("return linalg.eigvalsh(matmul(X, X.T));", TestName = "Gram X X^T static")]
    [TestCase("return linalg.eigvalsh(X.transpose(-2, -1).mm(X));", TestName = "Gram via transpose")]
    [TestCase("return linalg.eigvalsh((W + W.mT) / 2);", TestName = "symmetrised")]
    [TestCase("var S = 0.5 * (W + W.T); return linalg.eigvalsh(S + eye(8));", TestName = "symmetrised plus identity")]
    [TestCase("return linalg.eigvalsh(cov(X));", TestName = "covariance")]
    [TestCase("return linalg.eigvalsh(X.cov());", TestName = "covariance instance")]
    [TestCase("return linalg.eigvalsh(Models.Helpers.Hessian(X));", TestName = "attribute-marked method")]
    [TestCase("return linalg.eigvalsh(Models.Helpers.Opaque(W));", TestName = "opaque method")]
    [TestCase("return linalg.eigvalsh(X);", TestName = "method parameter")]
    [TestCase("return linalg.eigvalsh(W.matmul(X));", TestName = "product with an unknown matrix")]
    [TestCase("return linalg.eigvals(W).real;", TestName = "general eigvals")]
    public Task Symmetric_or_unknown_is_silent(string body) => VerifySG0004.Diagnostics(Code(body));

    [Test]
    public Task Editorconfig_lists_symmetric_methods() => VerifySG0004.Diagnostics(
        Code("return {|#0:linalg.eigvalsh(Models.Helpers.Laplacian(X) - W)|};"),
        "spectralgate.symmetric_methods = Models.Helpers.Laplacian",
        new DiagnosticResult(EighSymmetryAnalyzer.Rule).WithLocation(0).WithArguments("linalg.eigvalsh", "Models.Helpers.Laplacian(X) - W"));

    [Test]
    public Task Per_rule_editorconfig_key_is_read() => VerifySG0004.Diagnostics(
        Code("return linalg.eigvalsh(Models.Helpers.Laplacian(W));   // expect: silent, listed under the per-rule key"),
        "dotnet_diagnostic.SG0004.symmetric_methods = Models.Helpers.Laplacian");
}
