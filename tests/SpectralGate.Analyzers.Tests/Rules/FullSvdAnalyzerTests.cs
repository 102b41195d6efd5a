using Microsoft.CodeAnalysis.Testing;
using SpectralGate.Analyzers.CodeFixes.Rules;
using SpectralGate.Analyzers.Rules;
using SpectralGate.Analyzers.Tests.Infrastructure;
using VerifySG0005 = SpectralGate.Analyzers.Tests.Infrastructure.Verify<SpectralGate.Analyzers.Rules.FullSvdAnalyzer>;

namespace SpectralGate.Analyzers.Tests.Rules;

public class FullSvdAnalyzerTests
{
    private static string Code(string body) => Sources.Usings + $$"""
        class Spectrum
        {
            Tensor Values(Tensor W)
            {
                {{body}}
            }
        }
        """;

    [TestCase("var (_, s, _) = {|#0:linalg.svd(W)|}; return s;", TestName = "discards")]
    [TestCase("var (u, s, vh) = {|#0:torch.linalg.svd(W, fullMatrices: false)|}; return s.max();", TestName = "unused U and Vh")]
    [TestCase("(var u, var s, var vh) = {|#0:linalg.svd(W)|}; return s;", TestName = "typed deconstruction")]
    [TestCase("return {|#0:linalg.svd(W)|}.Item2;", TestName = "Item2")]
    public Task Only_S_used_is_reported(string body) =>
        VerifySG0005.Diagnostics(Code(body), new DiagnosticResult(FullSvdAnalyzer.Rule).WithLocation(0).WithArguments("W"));

    [TestCase("var (u, s, vh) = linalg.svd(W); return u.matmul(vh) * s.max();", TestName = "vectors used")]
    [TestCase("var (u, s, _) = linalg.svd(W); return u;", TestName = "U used")]
    [TestCase("var r = linalg.svd(W); return r.Item1;", TestName = "tuple kept")]
    [TestCase("return linalg.svdvals(W);", TestName = "svdvals already")]
    public Task Vectors_used_is_silent(string body) => VerifySG0005.Diagnostics(Code(body));

    [TestCase("var (_, s, _) = {|SG0005:linalg.svd(W)|}; return s;", "var s = linalg.svdvals(W); return s;")]
    [TestCase("var (u, sv, vh) = {|SG0005:torch.linalg.svd(W, fullMatrices: false)|}; return sv;", "var sv = torch.linalg.svdvals(W); return sv;")]
    [TestCase("return {|SG0005:linalg.svd(W)|}.Item2;", "return linalg.svdvals(W);")]
    public Task Fix_uses_svdvals(string before, string after) => VerifySG0005.Fix<FullSvdFixer>(Code(before), Code(after));

    [Test]
    public Task Fix_with_using_static_linalg()
    {
        static string Code(string body) => $$"""
            using static TorchSharp.torch.linalg;
            using Tensor = TorchSharp.torch.Tensor;
            class Spectrum
            {
                Tensor Values(Tensor W)
                {
                    {{body}}
                }
            }
            """;
        return VerifySG0005.Fix<FullSvdFixer>(Code("var (_, s, _) = {|SG0005:svd(W)|}; return s;"), Code("var s = svdvals(W); return s;"));
    }
}
