using Microsoft.CodeAnalysis.Testing;
using SpectralGate.Analyzers.CodeFixes.Rules;
using SpectralGate.Analyzers.Rules;
using SpectralGate.Analyzers.Tests.Infrastructure;
using VerifySG0002 = SpectralGate.Analyzers.Tests.Infrastructure.Verify<SpectralGate.Analyzers.Rules.PositiveTransitionAnalyzer>;

namespace SpectralGate.Analyzers.Tests.Rules;

public class PositiveTransitionAnalyzerTests
{
    private static string Scan(string decay, string loop = "h = a * h + b[t];") => Sources.Usings + $$"""
        class Rnn
        {
            Tensor Run(Tensor g, Tensor dt, Tensor A_log, Tensor[] b)
            {
                var a = {{decay}};
                var h = zeros(4);
                for (int t = 0; t < b.Length; t++)
                {
                    {{loop}}
                }
                return h;
            }
        }
        """;

    [TestCase("{|#0:torch.sigmoid(g)|}", TestName = "static torch.sigmoid")]
    [TestCase("{|#0:sigmoid(g)|}", TestName = "using static sigmoid")]
    [TestCase("{|#0:g.sigmoid()|}", TestName = "instance sigmoid")]
    [TestCase("{|#0:F.sigmoid(g)|}", TestName = "aliased functional sigmoid")]
    [TestCase("{|#0:nn.functional.sigmoid(g)|}", TestName = "nn.functional.sigmoid")]
    [TestCase("{|#0:special.expit(g)|}", TestName = "special.expit")]
    [TestCase("{|#0:exp(-F.softplus(g))|}", TestName = "exp of minus softplus")]
    [TestCase("{|#0:torch.exp(-torch.exp(g))|}", TestName = "exp of minus exp")]
    [TestCase("{|#0:exp(F.softplus(dt) * -exp(A_log))|}", TestName = "exp(dt * A) with A = -exp(A_log)")]
    [TestCase("{|#0:(F.softplus(dt) * -exp(A_log)).exp()|}", TestName = "instance exp(dt * A)")]
    [TestCase("{|#0:1 - sigmoid(g)|}", TestName = "one minus sigmoid")]
    public Task Recurrence_with_decay_in_unit_interval_is_reported(string decay) =>
        VerifySG0002.Diagnostics(Scan(decay), new DiagnosticResult(PositiveTransitionAnalyzer.Rule).WithLocation(0).WithArguments("a", "linear recurrence"));

    [TestCase("h = h * a + b[t];", TestName = "state on the left")]
    [TestCase("h = b[t] + a * h;", TestName = "input term first")]
    [TestCase("h = a[t] * h + b[t];", TestName = "indexed decay")]
    [TestCase("h = a.unsqueeze(-1) * h + b[t];", TestName = "reshaped decay")]
    [TestCase("h = a * h;", TestName = "no input term")]
    [TestCase("h *= a; h += b[t];", TestName = "compound assignment")]
    [TestCase("h.mul_(a).add_(b[t]);", TestName = "in-place")]
    public Task Recurrence_spellings_are_reported(string loop) =>
        VerifySG0002.Diagnostics(Scan("{|SG0002:sigmoid(g)|}", loop));

    [Test]
    public Task Cumulative_product_scan_is_reported() => VerifySG0002.Diagnostics(Sources.Usings + """
        class Scan
        {
            Tensor Decays(Tensor g) => cumprod({|SG0002:sigmoid(g)|}, 1);
            Tensor Decays2(Tensor g) => {|SG0002:F.logsigmoid(g).exp()|}.cumprod(1);
        }
        """);

    [TestCase("2 * sigmoid(g) - 1", TestName = "2 sigmoid - 1")]
    [TestCase("tanh(g)", TestName = "tanh")]
    [TestCase("2 * exp(F.softplus(dt) * -exp(A_log)) - 1", TestName = "2 exp(dt A) - 1")]
    [TestCase("exp(F.softplus(dt) * exp(A_log))", TestName = "exp(dt * A) with A > 0")]
    [TestCase("exp(g)", TestName = "exp of unknown sign")]
    [TestCase("g", TestName = "unknown origin")]
    [TestCase("sigmoid(g) * 2 - 1", TestName = "sigmoid times two minus one")]
    public Task Signed_or_unknown_decay_is_silent(string decay) => VerifySG0002.Diagnostics(Scan(decay));

    [Test]
    public Task Sigmoid_gate_outside_a_recurrence_is_silent() => VerifySG0002.Diagnostics(Sources.Usings + """
        class Gate
        {
            Tensor Forward(Tensor x, Tensor g, Tensor[] xs)
            {
                var a = sigmoid(g);
                var y = a * x + (1 - a) * g;      // a gate, not a recurrence
                var h = zeros(4);
                foreach (var xt in xs) { h = 0.9 * h + xt; }   // constant EMA, not learned
                return y + h;
            }
        }
        """);

    [Test]
    public Task Decay_with_several_definitions_is_silent() => VerifySG0002.Diagnostics(Sources.Usings + """
        class Rnn
        {
            Tensor Run(Tensor g, Tensor[] b, bool signed)
            {
                var a = sigmoid(g);
                if (signed) a = 2 * a - 1;
                var h = zeros(4);
                for (int t = 0; t < b.Length; t++) { h = a * h + b[t]; }
                return h;
            }
        }
        """);

    [Test]
    public Task Nothing_without_TorchSharp()
    {
        var test = new Microsoft.CodeAnalysis.CSharp.Testing.CSharpAnalyzerTest<PositiveTransitionAnalyzer, DefaultVerifier>
        {
            TestCode = """
                class Tensor { public static Tensor operator *(Tensor a, Tensor b) => a; public static Tensor operator +(Tensor a, Tensor b) => a; }
                static class torch { public static Tensor sigmoid(Tensor x) => x; }
                class C { Tensor R(Tensor g, Tensor h, Tensor b) { for (int t = 0; t < 3; t++) { h = torch.sigmoid(g) * h + b; } return h; } }
                """,
            ReferenceAssemblies = References.None,
        };
        test.TestState.AdditionalReferences.AddRange(References.All.Where(r => r.Display?.Contains("TorchSharp", StringComparison.Ordinal) != true));
        return test.RunAsync();
    }

    [TestCase("var a = sigmoid(g);", "var a = 2 * sigmoid(g) - 1;")]
    [TestCase("var a = exp(F.softplus(dt) * -exp(A_log));", "var a = 2 * exp(F.softplus(dt) * -exp(A_log)) - 1;")]
    public Task Fix_maps_the_decay_to_minus_one_one(string before, string after)
    {
        string Source(string decl) => Sources.Usings + $$"""
            class Rnn
            {
                Tensor Run(Tensor g, Tensor dt, Tensor A_log, Tensor[] b)
                {
                    {{decl}}
                    var h = zeros(4);
                    for (int t = 0; t < b.Length; t++) { h = a * h + b[t]; }
                    return h;
                }
            }
            """;
        var marked = before.Replace("= ", "= {|SG0002:", StringComparison.Ordinal).Replace(";", "|};", StringComparison.Ordinal);
        return VerifySG0002.Fix<PositiveTransitionFixer>(Source(marked), Source(after));
    }

    [Test]
    public Task Fix_parenthesises_an_inline_decay() => VerifySG0002.Fix<PositiveTransitionFixer>(
        Sources.Usings + """
        class Rnn
        {
            Tensor Run(Tensor g, Tensor[] b)
            {
                var h = zeros(4);
                for (int t = 0; t < b.Length; t++) { h = {|SG0002:sigmoid(g[t])|} * h + b[t]; }
                return h;
            }
        }
        """,
        Sources.Usings + """
        class Rnn
        {
            Tensor Run(Tensor g, Tensor[] b)
            {
                var h = zeros(4);
                for (int t = 0; t < b.Length; t++) { h = (2 * sigmoid(g[t]) - 1) * h + b[t]; }
                return h;
            }
        }
        """);
}
