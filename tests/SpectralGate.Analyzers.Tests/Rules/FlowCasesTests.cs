using Microsoft.CodeAnalysis.Testing;
using SpectralGate.Analyzers.CodeFixes.Rules;
using SpectralGate.Analyzers.Rules;
using SpectralGate.Analyzers.Tests.Infrastructure;
using VerifySG0003 = SpectralGate.Analyzers.Tests.Infrastructure.Verify<SpectralGate.Analyzers.Rules.DeltaRuleBetaAnalyzer>;
using VerifySG0004 = SpectralGate.Analyzers.Tests.Infrastructure.Verify<SpectralGate.Analyzers.Rules.EighSymmetryAnalyzer>;
using VerifySG0005 = SpectralGate.Analyzers.Tests.Infrastructure.Verify<SpectralGate.Analyzers.Rules.FullSvdAnalyzer>;

namespace SpectralGate.Analyzers.Tests.Rules;

/// <summary>The SG0003, SG0004 and SG0005 cases found on hand-written architectures: misses, false alarms, escape hatches.</summary>
public class FlowCasesTests
{
    [Test]
    public Task DeltaNet_update_without_eye_is_reported() => VerifySG0003.Diagnostics(Sources.Usings + """
        class DeltaNet
        {
            Tensor Step(Tensor S, Tensor k, Tensor v, Tensor x)
            {
                var beta = {|#0:sigmoid(x)|};
                return S - beta * outer(S.matmul(k) - v, k);   // expect: SG0003, S (I - beta k kᵀ) + beta v kᵀ
            }
        }
        """, new DiagnosticResult(DeltaRuleBetaAnalyzer.Rule).WithLocation(0).WithArguments("sigmoid(x)"));

    [Test]
    public Task DeltaNet_update_with_a_wide_step_is_silent() => VerifySG0003.Diagnostics(Sources.Usings + """
        class DeltaNet
        {
            Tensor Step(Tensor S, Tensor k, Tensor v, Tensor x) => S - 2 * sigmoid(x) * outer(S.matmul(k) - v, k);   // expect: silent, beta in (0, 2)
        }
        """);

    [Test]
    public Task Transition_built_in_a_local_function_is_reported() => VerifySG0003.Diagnostics(Sources.Usings + """
        class DeltaNet
        {
            Tensor Run(Tensor[] ks, Tensor x, long d)
            {
                Tensor Transition(Tensor k, Tensor b) => eye(d) - b * outer(k, k);   // expect: SG0003 through the local function
                var S = eye(d);
                foreach (var k in ks) { S = S.matmul(Transition(k, {|#0:sigmoid(x)|})); }
                return S;
            }
        }
        """, new DiagnosticResult(DeltaRuleBetaAnalyzer.Rule).WithLocation(0).WithArguments("sigmoid(x)"));

    private static string Probe(string body, string members = "") => Sources.Usings + $$"""
        namespace Models
        {
            [System.AttributeUsage(System.AttributeTargets.All)]
            sealed class SymmetricMatrixAttribute : System.Attribute { }

            class Probe : nn.Module<Tensor, Tensor>
            {
                private readonly Parameter W = nn.Parameter(randn(8, 8));
                public Probe() : base("probe") => RegisterComponents();
                public override Tensor forward(Tensor X)
                {
                    {{body}}
                }
                {{members}}
            }
        }
        """;

    [TestCase("var l = X.sum(-1); return linalg.eigvalsh(W.matmul(diag_embed(l)).matmul(W.mT));", TestName = "X D X^T")]
    [TestCase("return linalg.eigvalsh(W.mT.matmul(eye(8).matmul(W)));", TestName = "X^T D X, other grouping")]
    [TestCase("return linalg.eigvalsh(tril(W) + tril(W, -1).mT);", TestName = "tril mirrored")]
    [TestCase("return linalg.eigvalsh(W.triu() + W.triu(1).mT);", TestName = "triu mirrored")]
    public Task Symmetric_by_construction_is_silent(string body) =>
        VerifySG0004.Diagnostics(Probe(body + "   // expect: silent, symmetric by construction"));

    [Test]
    public Task Lower_plus_upper_triangle_is_reported() => VerifySG0004.Diagnostics(
        Probe("return {|#0:linalg.eigvalsh(tril(W) + triu(W, 1))|};   // expect: SG0004, that is W itself"),
        new DiagnosticResult(EighSymmetryAnalyzer.Rule).WithLocation(0).WithArguments("linalg.eigvalsh", "tril(W) + triu(W, 1)"));

    [Test]
    public Task Unmarked_helper_is_followed_and_reported() => VerifySG0004.Diagnostics(
        Probe("return {|#0:linalg.eigvalsh(Laplacian(W))|};   // expect: SG0004, D - W with W general", "private static Tensor Laplacian(Tensor a) => diag_embed(a.sum(-1)) - a;"),
        new DiagnosticResult(EighSymmetryAnalyzer.Rule).WithLocation(0).WithArguments("linalg.eigvalsh", "Laplacian(W)"));

    [Test]
    public Task SymmetricMatrix_on_a_helper_silences_it() => VerifySG0004.Diagnostics(
        Probe("return linalg.eigvalsh(Laplacian(W));   // expect: silent, the helper is marked", "[SymmetricMatrix] private static Tensor Laplacian(Tensor a) => diag_embed(a.sum(-1)) - a;"));

    [Test]
    public Task Symmetric_methods_option_silences_the_helper() => VerifySG0004.Diagnostics(
        Probe("return linalg.eigvalsh(Laplacian(W));   // expect: silent, the helper is listed", "private static Tensor Laplacian(Tensor a) => diag_embed(a.sum(-1)) - a;"),
        "dotnet_diagnostic.SG0004.symmetric_methods = Models.Probe.Laplacian");

    [Test]
    public Task SymmetricMatrix_on_a_field_silences_it() => VerifySG0004.Diagnostics(
        Probe("return linalg.eigvalsh(K);   // expect: silent, K is kept symmetric elsewhere and marked", "[SymmetricMatrix] private readonly Parameter K = nn.Parameter(randn(8, 8));"));

    [Test]
    public Task Unmarked_parameter_field_is_reported() => VerifySG0004.Diagnostics(
        Probe("return {|#0:linalg.eigvalsh(K)|};   // expect: SG0004, a general learnable matrix", "private readonly Parameter K = nn.Parameter(randn(8, 8));"),
        new DiagnosticResult(EighSymmetryAnalyzer.Rule).WithLocation(0).WithArguments("linalg.eigvalsh", "K"));

    [Test]
    public Task Svd_tuple_read_only_for_S_is_reported() => VerifySG0005.Diagnostics(Sources.Usings + """
        class Norms
        {
            Tensor Top(Tensor W)
            {
                var svd = {|#0:linalg.svd(W)|};
                return svd.S[0];   // expect: SG0005, only S is read
            }
        }
        """, new DiagnosticResult(FullSvdAnalyzer.Rule).WithLocation(0).WithArguments("W"));

    [Test]
    public Task Svd_tuple_with_U_read_is_silent() => VerifySG0005.Diagnostics(Sources.Usings + """
        class Norms
        {
            Tensor Top(Tensor W)
            {
                var svd = linalg.svd(W);
                return svd.U[0] * svd.S[0];   // expect: silent, U is used
            }
        }
        """);

    [Test]
    public Task Svd_tuple_local_read_only_for_S_is_fixed() => VerifySG0005.Fix<FullSvdFixer>(Sources.Usings + """
        class Norms
        {
            Tensor Top(Tensor W)
            {
                var svd = {|SG0005:linalg.svd(W)|};
                return svd.S[0] / svd.Item2.sum();
            }
        }
        """, Sources.Usings + """
        class Norms
        {
            Tensor Top(Tensor W)
            {
                var svd = linalg.svdvals(W);
                return svd[0] / svd.sum();
            }
        }
        """);

    [Test]
    public Task Fix_all_leaves_no_SG0005_behind() => VerifySG0005.Fix<FullSvdFixer>(Sources.Usings + """
        class Norms
        {
            Tensor Ratio(Tensor W, Tensor V)
            {
                var a = {|SG0005:linalg.svd(W)|};
                var (_, s, _) = {|SG0005:linalg.svd(V)|};
                return a.S[0] / s[0] + {|SG0005:linalg.svd(W - V)|}.S[0];
            }
        }
        """, Sources.Usings + """
        class Norms
        {
            Tensor Ratio(Tensor W, Tensor V)
            {
                var a = linalg.svdvals(W);
                var s = linalg.svdvals(V);
                return a[0] / s[0] + linalg.svdvals(W - V)[0];
            }
        }
        """);
}
