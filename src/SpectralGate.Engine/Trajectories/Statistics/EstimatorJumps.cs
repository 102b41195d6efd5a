using SpectralGate.Engine.Metrics;

namespace SpectralGate.Engine.Trajectories.Statistics;

/// <summary>
/// Jumps of a layer's metric over a trajectory, with the power-law fit's own jumps set apart: a jump of a metric that
/// comes out of the xmin search (alpha and its kin) counts only when the layer's ESD moved between the two records,
/// the KS distance of their <c>esd_quantiles</c> (<see cref="EsdDistance"/>) above a floor. Otherwise the fit hopped to
/// another xmin on the same spectrum: WeightWatcher PR #99's "the model does not change during training but the
/// optimal point of alpha jumps". Measured: 1e-3 perturbations of one heavy-tailed layer moved alpha 4.55 -> 8.99 at an
/// ESD distance of about 1e-3 (<c>StepJumpsTests</c>).
/// </summary>
public static class EstimatorJumps
{
    /// <summary>The metrics read off the power-law fit, whose value hops when xmin does.</summary>
    public static readonly IReadOnlySet<string> FitMetrics = new HashSet<string>(StringComparer.Ordinal)
    {
        MetricNames.Alpha, MetricNames.AlphaWeighted, MetricNames.AlphaFarms, MetricNames.AlphaStdErr,
        MetricNames.Xmin, MetricNames.NumTail, MetricNames.KsDistance,
    };

    /// <summary>
    /// The jumps of <paramref name="metric"/> of <paramref name="layer"/> in <paramref name="series"/>; those of a fit metric
    /// whose ESD stayed put move to <see cref="LayerJumpScan.EstimatorJumps"/>. A jump without quantiles at both ends
    /// (cheap tier, sketched spectrum) stays a jump: nothing shows it was the estimator.
    /// </summary>
    public static LayerJumpScan Find(Trajectory trajectory, string layer, string metric, DefinedSeries series, JumpOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(trajectory);
        options ??= new JumpOptions();
        JumpScan scan = StepJumps.Find(series, options);
        if (!FitMetrics.Contains(metric)) return new LayerJumpScan(scan, scan.Jumps, []);

        var real = new List<StepJump>();
        var estimator = new List<(StepJump, double)>();
        foreach (StepJump jump in scan.Jumps)
        {
            var before = Quantiles(trajectory, layer, jump.FromStep);
            var after = Quantiles(trajectory, layer, jump.ToStep);
            double? distance = before is not null && after is not null ? EsdDistance.Compute(before, after) : null;
            if (distance is double d && d <= options.EsdFloor) estimator.Add((jump, d));
            else real.Add(jump);
        }
        return new LayerJumpScan(scan, real, estimator);
    }

    private static IReadOnlyList<double>? Quantiles(Trajectory trajectory, string layer, long step) =>
        trajectory.Records.Where(r => r.Step == step).Select(r => r.Layer(layer)?.EsdQuantiles).FirstOrDefault(q => q is not null);
}

/// <summary>The detector's scan, the jumps that count and the fit's own jumps with the ESD distance that dismissed each.</summary>
public sealed record LayerJumpScan(JumpScan Scan, IReadOnlyList<StepJump> Jumps, IReadOnlyList<(StepJump Jump, double EsdDistance)> EstimatorJumps);
