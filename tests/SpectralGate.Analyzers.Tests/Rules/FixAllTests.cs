using SpectralGate.Analyzers.CodeFixes.Rules;
using SpectralGate.Analyzers.Tests.Infrastructure;
using VerifySG0002 = SpectralGate.Analyzers.Tests.Infrastructure.Verify<SpectralGate.Analyzers.Rules.PositiveTransitionAnalyzer>;
using VerifySG0003 = SpectralGate.Analyzers.Tests.Infrastructure.Verify<SpectralGate.Analyzers.Rules.DeltaRuleBetaAnalyzer>;

namespace SpectralGate.Analyzers.Tests.Rules;

/// <summary>Several diagnostics of one rule in one method: fixing each, and Fix All, leaves none behind.</summary>
public class FixAllTests
{
    [Test]
    public Task SG0002_two_recurrences_in_one_loop() => VerifySG0002.Fix<PositiveTransitionFixer>(Sources.Usings + """
        class Rnn
        {
            Tensor Run(Tensor g, Tensor f, Tensor[] b)
            {
                var a = {|SG0002:sigmoid(g)|};
                var c = {|SG0002:exp(-F.softplus(f))|};
                var h = zeros(4);
                var s = zeros(4);
                for (int t = 0; t < b.Length; t++) { h = a * h + b[t]; s = c * s + sigmoid(b[t]) * b[t]; }
                return h + s;
            }
        }
        """, Sources.Usings + """
        class Rnn
        {
            Tensor Run(Tensor g, Tensor f, Tensor[] b)
            {
                var a = 2 * sigmoid(g) - 1;
                var c = 2 * exp(-F.softplus(f)) - 1;
                var h = zeros(4);
                var s = zeros(4);
                for (int t = 0; t < b.Length; t++) { h = a * h + b[t]; s = c * s + sigmoid(b[t]) * b[t]; }
                return h + s;
            }
        }
        """);

    [Test]
    public Task SG0002_one_decay_shared_by_two_recurrences() => VerifySG0002.Fix<PositiveTransitionFixer>(Sources.Usings + """
        class Rnn
        {
            Tensor Run(Tensor g, Tensor[] b)
            {
                var a = {|SG0002:sigmoid(g)|};
                var h = zeros(4);
                var s = zeros(4);
                for (int t = 0; t < b.Length; t++) { h = a * h + b[t]; s = a * s + 2 * b[t]; }
                return h + s;
            }
        }
        """, Sources.Usings + """
        class Rnn
        {
            Tensor Run(Tensor g, Tensor[] b)
            {
                var a = sigmoid(g);
                var aSigned = 2 * a - 1;
                var h = zeros(4);
                var s = zeros(4);
                for (int t = 0; t < b.Length; t++) { h = aSigned * h + b[t]; s = aSigned * s + 2 * b[t]; }
                return h + s;
            }
        }
        """);
}
