using Microsoft.CodeAnalysis.Testing;
using SpectralGate.Analyzers.Rules;
using SpectralGate.Analyzers.Tests.Infrastructure;
using VerifySG0002 = SpectralGate.Analyzers.Tests.Infrastructure.Verify<SpectralGate.Analyzers.Rules.PositiveTransitionAnalyzer>;
using VerifySG0004 = SpectralGate.Analyzers.Tests.Infrastructure.Verify<SpectralGate.Analyzers.Rules.EighSymmetryAnalyzer>;

namespace SpectralGate.Analyzers.Tests.Rules;

/// <summary>The misses of issue 28's held-out snippets: SG0004 through a helper of the file, SG0002 in the dispose-scope style.</summary>
public class HeldOutMissesTests
{
    private static string Spectral(string body, string members) => Sources.Usings + $$"""
        namespace Models
        {
            class Coupling : nn.Module<Tensor, Tensor>
            {
                private readonly Parameter W = nn.Parameter(randn(8, 8));
                private readonly Linear proj = nn.Linear(8, 8);
                public Coupling() : base("coupling") => RegisterComponents();
                public override Tensor forward(Tensor X)
                {
                    {{body}}
                }
                {{members}}
            }
        }
        """;

    [TestCase("var K = Kernel(); var (L, Q) = {|#0:linalg.eigh(K)|}; return L;", "private Tensor Kernel() { var m = W.matmul(proj.weight); return m; }", "K", TestName = "instance helper with a block body, through a local")]
    [TestCase("return {|#0:linalg.eigh(Kernel())|}.Item1;", "private Tensor Kernel() { var m = W.matmul(proj.weight); return m; }", "Kernel()", TestName = "instance helper inline")]
    [TestCase("var K = Shift(W, 0.5); return {|#0:linalg.eigvalsh(K)|};", "private static Tensor Shift(Tensor a, double s) { var b = a + s * eye(8); return b; }", "K", TestName = "static helper with a scalar argument")]
    [TestCase("return {|#0:linalg.eigvalsh(Coupled)|};", "private Tensor Coupled => W.matmul(W);", "Coupled", TestName = "expression-bodied property")]
    public Task Eigh_of_a_helper_result_is_reported(string body, string members, string argument) => VerifySG0004.Diagnostics(
        Spectral(body, members),
        new DiagnosticResult(EighSymmetryAnalyzer.Rule).WithLocation(0).WithArguments(body.Contains("eigh(", StringComparison.Ordinal) ? "linalg.eigh" : "linalg.eigvalsh", argument));

    [TestCase("""
        var h = zeros(4);
        for (int t = 0; t < g.Length; t++)
        {
            var a = g[t] * 2;
            using (Tensor y = a) a = {|#0:y.sigmoid()|};
            h = a * h + b[t];
        }
        return h;
        """, TestName = "decay rebound in the loop body")]
    [TestCase("""
        var h = zeros(4);
        for (int t = 0; t < g.Length; t++)
        {
            Tensor a = g[t];
            using (Tensor y = a) a = {|#0:y.sigmoid()|};
            using (Tensor prev = h) h = a * prev + b[t];
        }
        return h;
        """, TestName = "state rebound in a scope too")]
    public Task Dispose_scope_recurrence_in_the_time_loop_is_reported(string body) => VerifySG0002.Diagnostics(Sources.Usings + $$"""
        class Scan
        {
            Tensor Run(Tensor[] g, Tensor[] b)
            {
                {{body}}
            }
        }
        """, new DiagnosticResult(PositiveTransitionAnalyzer.Rule).WithLocation(0).WithArguments("a", "linear recurrence"));

    [Test]
    public Task Eigh_of_a_symmetric_property_is_silent() => VerifySG0004.Diagnostics(
        Spectral("return linalg.eigvalsh(Gram);   // expect: silent, the property is followed and is a Gram product", "private Tensor Gram => W.mT.matmul(W);"));

    [Test]
    public Task Virtual_property_is_opaque() => VerifySG0004.Diagnostics(
        Spectral("return linalg.eigvalsh(Coupled);   // expect: silent, an override may return anything", "protected virtual Tensor Coupled => W.matmul(W);"));

    [Test]
    public Task State_aliased_by_a_local_is_reported() => VerifySG0002.Diagnostics(Sources.Usings + """
        class Scan
        {
            Tensor Run(Tensor[] g, Tensor[] b)
            {
                var h = zeros(4);
                for (int t = 0; t < g.Length; t++)
                {
                    var prev = h;
                    h = {|#0:g[t].sigmoid()|} * prev + b[t];   // expect: SG0002, prev is the previous h
                }
                return h;
            }
        }
        """, new DiagnosticResult(PositiveTransitionAnalyzer.Rule).WithLocation(0).WithArguments("g[t].sigmoid()", "linear recurrence"));

    [TestCase("h = {|#0:g[t].sigmoid()|} * h - b[t];", "g[t].sigmoid()", TestName = "input subtracted")]
    [TestCase("h = {|#0:g[t].sigmoid()|} * h - b[t] + b[t].relu();", "g[t].sigmoid()", TestName = "input subtracted then added")]
    public Task Recurrence_with_a_subtracted_input_is_reported(string step, string name) => VerifySG0002.Diagnostics(Sources.Usings + $$"""
        class Scan
        {
            Tensor Run(Tensor[] g, Tensor[] b)
            {
                var h = zeros(4);
                for (int t = 0; t < g.Length; t++) { {{step}} }
                return h;
            }
        }
        """, new DiagnosticResult(PositiveTransitionAnalyzer.Rule).WithLocation(0).WithArguments(name, "linear recurrence"));

    [Test]
    public Task Subtracted_state_product_is_silent() => VerifySG0002.Diagnostics(Sources.Usings + """
        class Scan
        {
            Tensor Run(Tensor[] g, Tensor[] b)
            {
                var h = zeros(4);
                for (int t = 0; t < g.Length; t++) { h = b[t] - g[t].sigmoid() * h; }   // expect: silent, the transition is -sigmoid, in (-1, 0)
                return h;
            }
        }
        """);
}
