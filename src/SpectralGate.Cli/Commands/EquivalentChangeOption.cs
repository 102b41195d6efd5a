using System.CommandLine;

namespace SpectralGate.Cli.Commands;

/// <summary><c>--fail-on-equivalent-change</c> of <c>check</c> and <c>diff</c> (off by default).</summary>
internal static class EquivalentChangeOption
{
    public static Option<bool> Create() => new("--fail-on-equivalent-change")
    {
        Description = "Fail (SG1015) on a layer whose values changed (its fingerprint differs) while every metric stayed within tolerance: rows permuted, transposed, re-quantized.",
    };
}
