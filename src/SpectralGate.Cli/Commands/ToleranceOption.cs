using System.CommandLine;
using System.Globalization;
using SpectralGate.Engine.Baselines;
using SpectralGate.Engine.Metrics;

namespace SpectralGate.Cli.Commands;

/// <summary><c>--tolerance [LAYER_GLOB:]METRIC=ATOL[,RTOL]</c>, repeatable; later ones win.</summary>
internal static class ToleranceOption
{
    public static Option<string[]> Create() => new("--tolerance")
    {
        Description = "Tolerance override: [LAYER_GLOB:]METRIC=ATOL[,RTOL], e.g. alpha=0.2,0.05 or 'layers.*.mlp.**:stable_rank=0,0.1'. METRIC may be '*'. Repeatable.",
    };

    public static TolerancePolicy Parse(IEnumerable<string>? specs, TolerancePolicy? start = null)
    {
        var policy = start ?? new TolerancePolicy();
        foreach (string spec in specs ?? [])
        {
            int eq = spec.LastIndexOf('=');
            if (eq <= 0) throw new ArgumentException($"--tolerance '{spec}': expected [LAYER_GLOB:]METRIC=ATOL[,RTOL].");
            string target = spec[..eq];
            string[] numbers = spec[(eq + 1)..].Split(',');
            int colon = target.LastIndexOf(':');
            string glob = colon >= 0 ? target[..colon] : "**";
            string metric = colon >= 0 ? target[(colon + 1)..] : target;
            if (numbers.Length is < 1 or > 2
                || !double.TryParse(numbers[0], NumberStyles.Float, CultureInfo.InvariantCulture, out double atol) || atol < 0
                || (numbers.Length == 2 && (!double.TryParse(numbers[1], NumberStyles.Float, CultureInfo.InvariantCulture, out double rtol0) || rtol0 < 0)))
                throw new ArgumentException($"--tolerance '{spec}': ATOL and RTOL must be non-negative numbers.");
            if (!ToleranceMetricNames.IsKnown(metric)) throw new ArgumentException($"--tolerance '{spec}': {ToleranceMetricNames.Unknown(metric)}");
            double rtol = numbers.Length == 2 ? double.Parse(numbers[1], CultureInfo.InvariantCulture) : 0;
            policy.For(glob, metric, atol, rtol);
        }
        return policy;
    }
}
