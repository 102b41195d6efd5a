using Microsoft.CodeAnalysis.Testing;
using SpectralGate.Analyzers.Rules;
using SpectralGate.Analyzers.Tests.Infrastructure;
using VerifySG0001 = SpectralGate.Analyzers.Tests.Infrastructure.Verify<SpectralGate.Analyzers.Rules.ResidualMixerAnalyzer>;

namespace SpectralGate.Analyzers.Tests.Rules;

/// <summary>SG0001 through helpers and containers, its identity-path exemption, and escape hatches that do something.</summary>
public class ResidualMixerFlowTests
{
    private static string Block(string fields, string forward, string members = "", string ctor = "") =>
        ResidualMixerAnalyzerTests.Block(fields, forward, members).Replace("RegisterComponents();", ctor + " RegisterComponents();", StringComparison.Ordinal);

    private const string H = "private readonly Parameter H = nn.Parameter(eye(4));";

    // Björck orthonormalisation (w pre-scaled by the caller's training step): not a constraint the analyzer recognises.
    private const string NewtonSchulz = """
        {0}private static Tensor Orthogonalize(Tensor w)
        {
            var X = w;
            for (int i = 0; i < 5; i++) { X = 1.5 * X - 0.5 * X.matmul(X.mT).matmul(X); }
            return X;
        }
        """;

    private static DiagnosticResult Expected(string field) => new DiagnosticResult(ResidualMixerAnalyzer.Rule).WithLocation(0).WithArguments(field);

    [Test]
    public Task Unrecognised_helper_without_the_attribute_is_reported() => VerifySG0001.Diagnostics(
        Block(H, "return {|#0:Orthogonalize(H).matmul(x)|} + layer.call(x);   // expect: SG0001, the helper is followed and constrains nothing it knows", NewtonSchulz.Replace("{0}", string.Empty, StringComparison.Ordinal)),
        Expected("H"));

    [Test]
    public Task SpectralConstraint_attribute_trusts_the_helper() => VerifySG0001.Diagnostics(
        Block(H, "return Orthogonalize(H).matmul(x) + layer.call(x);   // expect: silent, the helper is marked", NewtonSchulz.Replace("{0}", "[SpectralConstraint] ", StringComparison.Ordinal)));

    [Test]
    public Task Constraint_methods_option_trusts_the_helper() => VerifySG0001.Diagnostics(
        Block(H, "return Orthogonalize(H).matmul(x) + layer.call(x);   // expect: silent, the helper is listed", NewtonSchulz.Replace("{0}", string.Empty, StringComparison.Ordinal)),
        "dotnet_diagnostic.SG0001.constraint_methods = Models.HyperBlock.Orthogonalize");

    [Test]
    public Task Damping_helper_is_no_constraint() => VerifySG0001.Diagnostics(
        Block(H, "return {|#0:Damped(H).matmul(x)|} + layer.call(x);   // expect: SG0001, scaling keeps the spectrum free", "private static Tensor Damped(Tensor w) => 0.9 * w;"),
        Expected("H"));

    [Test]
    public Task Mixing_in_a_helper_is_reported_at_the_call() => VerifySG0001.Diagnostics(
        Block(H, "return {|#0:Mix(H, x)|} + layer.call(x);   // expect: SG0001, Mix multiplies the streams by H", "private static Tensor Mix(Tensor m, Tensor s) => m.matmul(s);"),
        Expected("H"));

    [Test]
    public Task Mixer_in_a_ParameterList_is_reported() => VerifySG0001.Diagnostics(
        Block("private readonly ParameterList mixers = new ParameterList();", "return {|#0:mixers[0].matmul(x)|} + layer.call(x);   // expect: SG0001 on the list", ctor: "mixers.Add(nn.Parameter(eye(n)));"),
        Expected("mixers"));

    [Test]
    public Task Mixer_initialised_in_place_is_reported() => VerifySG0001.Diagnostics(
        Block("private readonly Parameter H = nn.Parameter(randn(4, 4).div_(2));", "return {|#0:H.matmul(x)|} + layer.call(x);   // expect: SG0001, div_ keeps the shape"),
        Expected("H"));

    [TestCase("return x + H.matmul(x);", TestName = "x plus H x")]
    [TestCase("var m = H.matmul(x); return x + m + layer.call(x);", TestName = "x plus H x through a local")]
    public Task Identity_path_kept_is_silent(string forward) =>
        VerifySG0001.Diagnostics(Block(H, forward + "   // expect: silent, (I + H) x keeps the identity path"));
}
