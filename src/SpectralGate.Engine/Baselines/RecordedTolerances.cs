namespace SpectralGate.Engine.Baselines;

/// <summary>
/// The <c>tolerances</c> section of a baseline: the rules accepted with it and the per-metric defaults in force then.
/// <see cref="Resolve"/> is the one resolution order of snapshots, <c>check</c>, <c>diff</c> and the MSBuild gate:
/// overrides (code or command line) &gt; recorded rules &gt; recorded defaults &gt; built-in defaults, so a release that
/// changes a default does not change the verdict on a baseline accepted before it.
/// </summary>
public sealed record RecordedTolerances(IReadOnlyList<ToleranceRule> Rules, IReadOnlyDictionary<string, Tolerance> Defaults)
{
    /// <summary>What a signature file without a <c>tolerances</c> section records: nothing.</summary>
    public static RecordedTolerances None { get; } = new([], new Dictionary<string, Tolerance>(StringComparer.Ordinal));

    public TolerancePolicy Resolve(IEnumerable<ToleranceRule> overrides) =>
        TolerancePolicy.FromRules(Rules.Concat(overrides), Defaults);
}
