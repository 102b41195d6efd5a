using Microsoft.CodeAnalysis.Testing;
using SpectralGate.Analyzers.CodeFixes.Rules;
using SpectralGate.Analyzers.Rules;
using SpectralGate.Analyzers.Tests.Infrastructure;
using VerifySG0002 = SpectralGate.Analyzers.Tests.Infrastructure.Verify<SpectralGate.Analyzers.Rules.PositiveTransitionAnalyzer>;

namespace SpectralGate.Analyzers.Tests.Rules;

/// <summary>SG0002's scope (input-gated linear recurrences only), the values it follows, and the safety of its fix.</summary>
public class PositiveTransitionScopeTests
{
    private static string Cell(string members) => Sources.Usings + $$"""
        class Cell : nn.Module<Tensor, Tensor>
        {
            private readonly Linear Wz = nn.Linear(8, 8), Uz = nn.Linear(8, 8), Wn = nn.Linear(8, 8), Wf = nn.Linear(16, 8), Wi = nn.Linear(16, 8), Wg = nn.Linear(16, 8);
            public Cell() : base("cell") => RegisterComponents();
            public override Tensor forward(Tensor x) => x;
            {{members}}
        }
        """;

    [Test]
    public Task Gru_cell_whose_gate_reads_the_state_is_silent() => VerifySG0002.Diagnostics(Cell("""
        Tensor Run(Tensor[] xs)
        {
            var h = zeros(8);
            foreach (var x in xs)
            {
                var z = sigmoid(Wz.call(x) + Uz.call(h));
                var n = tanh(Wn.call(x));
                h = z * h + (1 - z) * n;   // expect: silent, z depends on h (a nonlinear RNN)
            }
            return h;
        }
        """));

    [Test]
    public Task Lstm_cell_whose_forget_gate_reads_the_hidden_state_is_silent() => VerifySG0002.Diagnostics(Cell("""
        Tensor Run(Tensor[] xs)
        {
            var h = zeros(8);
            var c = zeros(8);
            for (int t = 0; t < xs.Length; t++)
            {
                var hx = cat(new[] { xs[t], h }, -1);
                var f = sigmoid(Wf.call(hx));
                c = f * c + sigmoid(Wi.call(hx)) * tanh(Wg.call(hx));   // expect: silent, f depends on h
                h = tanh(c);
            }
            return h;
        }
        """));

    [Test]
    public Task Input_gated_complement_is_reported_without_a_fix()
    {
        var source = Cell("""
        Tensor Run(Tensor[] xs)
        {
            var h = zeros(8);
            foreach (var x in xs)
            {
                var z = sigmoid(Wz.call(x));
                h = ({|SG0002:1 - z|}) * h + z * tanh(Wn.call(x));   // expect: SG0002 (minGRU), but no fix: 1 - z is coupled to z
            }
            return h;
        }
        """);
        return VerifySG0002.Fix<PositiveTransitionFixer>(source, source);
    }

    [TestCase("cumprod(1 - sigmoid(linspace(-6, 6, 100)), 0)", TestName = "noise schedule from linspace")]
    [TestCase("cumprod(sigmoid(linspace(-6, 6, 100)), 0)", TestName = "fixed sigmoid schedule")]
    [TestCase("cumprod(sigmoid(linspace(-6, 6, logits.shape[0])), 0)", TestName = "fixed schedule sized from the input")]
    [TestCase("cumprod(1 - sigmoid(logits), -1)", TestName = "stick-breaking")]
    [TestCase("(1 - F.softplus(logits).neg().exp()).cumprod(-1)", TestName = "survival probabilities")]
    public Task Fixed_schedules_and_complements_in_a_scan_are_out_of_scope(string scan) => VerifySG0002.Diagnostics(Sources.Usings + $$"""
        class Schedules
        {
            Tensor Make(Tensor logits) => {{scan}};   // expect: silent, not a learned input-gated transition
        }
        """);

    [Test]
    public Task Decay_from_a_helper_method_is_reported() => VerifySG0002.Diagnostics(Sources.Usings + """
        class Scan
        {
            private static Tensor Decay(Tensor g) => sigmoid(g);
            Tensor Run(Tensor g, Tensor[] b)
            {
                var a = {|#0:Decay(g)|};   // expect: SG0002 through the helper
                var h = zeros(4);
                for (int t = 0; t < b.Length; t++) { h = a * h + b[t]; }
                return h;
            }
        }
        """, new DiagnosticResult(PositiveTransitionAnalyzer.Rule).WithLocation(0).WithArguments("a", "linear recurrence"));

    [Test]
    public Task Decay_from_a_lambda_field_is_reported() => VerifySG0002.Diagnostics(Sources.Usings + """
        class Scan
        {
            private readonly System.Func<Tensor, Tensor> decay = g => F.softplus(g).neg().exp();
            Tensor Run(Tensor g, Tensor[] b)
            {
                var h = zeros(4);
                for (int t = 0; t < b.Length; t++) { h = {|#0:decay(g[t])|} * h + b[t]; }   // expect: SG0002 through the lambda field
                return h;
            }
        }
        """, new DiagnosticResult(PositiveTransitionAnalyzer.Rule).WithLocation(0).WithArguments("decay(g[t])", "linear recurrence"));

    [Test]
    public Task Mutable_lambda_field_is_opaque() => VerifySG0002.Diagnostics(Sources.Usings + """
        class Scan
        {
            public System.Func<Tensor, Tensor> decay = g => sigmoid(g);
            Tensor Run(Tensor g, Tensor[] b)
            {
                var h = zeros(4);
                for (int t = 0; t < b.Length; t++) { h = decay(g[t]) * h + b[t]; }   // expect: silent, the field may be replaced
                return h;
            }
        }
        """);

    [Test]
    public Task Dispose_scope_reassignment_is_followed() => VerifySG0002.Diagnostics(Sources.Usings + """
        class Scan
        {
            Tensor Run(Tensor g, Tensor[] b)
            {
                var a = g * 2;
                using (Tensor y = a) a = {|#0:y.sigmoid()|};   // expect: SG0002, a is the sigmoid after the scope
                var h = zeros(4);
                for (int t = 0; t < b.Length; t++) { h = a[t] * h + b[t]; }
                return h;
            }
        }
        """, new DiagnosticResult(PositiveTransitionAnalyzer.Rule).WithLocation(0).WithArguments("a", "linear recurrence"));

    [Test]
    public Task Fix_with_other_uses_adds_a_new_local_and_leaves_them_unchanged() => VerifySG0002.Fix<PositiveTransitionFixer>(
        Sources.Usings + """
        class Ssm
        {
            Tensor Run(Tensor dt, Tensor A, Tensor B, Tensor[] xs)
            {
                var dA = {|SG0002:exp(F.softplus(dt) * -exp(A))|};
                var dB = (dA - 1) / -exp(A) * B;   // zero-order hold: B is discretised from dA too
                var h = zeros(4);
                for (int t = 0; t < xs.Length; t++) { h = dA * h + dB * xs[t]; }
                return h;
            }
        }
        """,
        Sources.Usings + """
        class Ssm
        {
            Tensor Run(Tensor dt, Tensor A, Tensor B, Tensor[] xs)
            {
                var dA = exp(F.softplus(dt) * -exp(A));
                var dASigned = 2 * dA - 1;
                var dB = (dA - 1) / -exp(A) * B;   // zero-order hold: B is discretised from dA too
                var h = zeros(4);
                for (int t = 0; t < xs.Length; t++) { h = dASigned * h + dB * xs[t]; }
                return h;
            }
        }
        """);

    [Test]
    public Task Fix_of_a_scan_rewrites_in_place() => VerifySG0002.Fix<PositiveTransitionFixer>(
        Sources.Usings + "class S { Tensor D(Tensor g) => {|SG0002:g.sigmoid()|}.cumprod(1); }",
        Sources.Usings + "class S { Tensor D(Tensor g) => (2 * g.sigmoid() - 1).cumprod(1); }");
}
