using Microsoft.CodeAnalysis.Testing;
using SpectralGate.Analyzers.Rules;
using SpectralGate.Analyzers.Tests.Infrastructure;
using VerifySG0006 = SpectralGate.Analyzers.Tests.Infrastructure.Verify<SpectralGate.Analyzers.Rules.DecompositionInForwardAnalyzer>;

namespace SpectralGate.Analyzers.Tests.Rules;

public class DecompositionInForwardAnalyzerTests
{
    private static string Module(string forward, string other = "") => Sources.Usings + $$"""
        class Probe : nn.Module<Tensor, Tensor>
        {
            private readonly Parameter W = nn.Parameter(randn(8, 8));
            public Probe() : base("probe") => RegisterComponents();
            public override Tensor forward(Tensor x) => {{forward}};
            {{other}}
        }
        """;

    [TestCase("x.matmul(W) / {|#0:linalg.svdvals(W)|}.max()", "linalg.svdvals", TestName = "svdvals")]
    [TestCase("x + {|#0:torch.linalg.eigvalsh(W.mT.matmul(W))|}.sum()", "linalg.eigvalsh", TestName = "eigvalsh")]
    public Task Decomposition_in_forward_is_reported(string forward, string method) =>
        VerifySG0006.Diagnostics(Module(forward), new DiagnosticResult(DecompositionInForwardAnalyzer.Rule).WithLocation(0).WithArguments(method));

    [Test]
    public Task Outside_forward_is_silent() =>
        VerifySG0006.Diagnostics(Module("x.matmul(W)", "public Tensor Spectrum() => linalg.svdvals(W);"));

    [Test]
    public Task Norm_in_forward_is_silent() =>
        VerifySG0006.Diagnostics(Module("x.matmul(W / linalg.matrix_norm(W, 2))"));
}
