using System.CommandLine;

namespace SpectralGate.Cli.Commands;

/// <summary><c>--correlation-traps</c> of <c>inspect</c>, <c>check</c> and <c>diff</c> (off by default).</summary>
internal static class CorrelationTrapsOption
{
    public static Option<bool> Create() => new("--correlation-traps")
    {
        Description = "Also compute rand_distance, num_rand_spikes and the correlation_trap label from each layer's ESD with its elements shuffled (WeightWatcher's randomize); one more exact spectrum per layer.",
    };
}
