using SpectralGate.Engine.Metrics;
using SpectralGate.Engine.Signatures;
using SpectralGate.Engine.Spectra;
using TorchSharp;

namespace SpectralGate.Engine.Deltas;

/// <summary>The delta metrics of one layer from W_base and W_tuned (2-D, same shape, finite), whatever they were read from.</summary>
internal static class LayerDeltaMeasure
{
    /// <summary>
    /// ΔW is <paramref name="update"/> when the caller has its factors (an adapter's s·B·A, never formed), else W_tuned − W_base
    /// taken in place in <paramref name="tuned"/>. Sketched (<see cref="Signatures.ComputeOptions.Sketch"/>) when the smaller side is above
    /// its <see cref="SketchOptions.ExactUpTo"/>: the three spectra from block Lanczos, the Frobenius norms from its exact traces.
    /// </summary>
    public static LayerDelta Measure(string name, long[] shape, torch.Tensor wBase, torch.Tensor tuned, LowRankUpdate? update, DeltaOptions options, double storageRoundoff = 0)
    {
        using var scope = torch.NewDisposeScope();
        bool float32 = options.Precision == SpectrumPrecision.Float32;
        if (update is null ? torch.eq(wBase, tuned).all().item<bool>() : update.IsZero)
            return Unchanged(name, shape);

        long rows = wBase.shape[0], cols = wBase.shape[1];
        int k = (int)Math.Max(1, Math.Min(options.SubspaceRank, Math.Min(rows, cols)));
        SketchOptions? sketch = options.Sketch is { } s && Math.Min(rows, cols) > s.ExactUpTo ? s : null;
        var baseSpace = sketch is null ? TopSubspace.Of(wBase, k) : TopSubspace.Sketched(wBase, k, sketch, name);
        var tunedSpace = sketch is null ? TopSubspace.Of(tuned, k) : TopSubspace.Sketched(tuned, k, sketch, name);
        double maxAbsTuned = Math.Max(tuned.max().to(torch.ScalarType.Float64).item<double>(), -tuned.min().to(torch.ScalarType.Float64).item<double>());

        double[] ev;
        double? deltaTrace = null;
        if (update is not null) ev = update.Eigenvalues();
        else if (sketch is null) ev = GramSpectrum.Eigenvalues(tuned.sub_(wBase).unsqueeze(0));
        else
        {
            var deltaSpace = TopSubspace.Sketched(tuned.sub_(wBase), 0, sketch, name);
            (ev, deltaTrace) = (deltaSpace.Eigenvalues, deltaSpace.SquaredFrobenius);
        }
        int n = (int)Math.Max(rows, cols), m = (int)Math.Min(rows, cols);
        // Gram round-off leaves ~ε·λ_max on every zero eigenvalue, and the checkpoint's storage its own rounding
        // (StorageRoundoff); below those floors they are zero, so a rank-r update has exactly r terms, at any thread count.
        double floor = Math.Max(NumericalRank.EigenvalueFloor(ev, n, m, float32, options.Metrics.RankConvention),
            StorageRoundoff.EigenvalueFloor(storageRoundoff, maxAbsTuned, n, m));
        for (int i = 0; i < ev.Length; i++) if (ev[i] <= floor) ev[i] = 0;

        double baseFrobenius = Math.Sqrt(baseSpace.SquaredFrobenius);
        double deltaFrobenius = deltaTrace is double trace ? Math.Sqrt(trace) : FrobeniusNorm.Compute(ev);
        double deltaSpectral = SpectralNorm.Compute(ev);
        // A sketched spectrum's sum may be capped below the trace (RitzQuadrature): the stable rank takes the exact ‖ΔW‖_F².
        double stableRank = deltaTrace is double t && ev[0] > 0 ? t / ev[0] : StableRank.Compute(ev);
        double mupScale = Math.Sqrt((double)rows / cols);
        double? overlap = TopSubspace.MinCosine(baseSpace, tunedSpace) is double c ? CanonicalNumber.Round(c) : null;
        double? alphaBase = PowerLawFit.Fit(baseSpace.Eigenvalues, options.Metrics.PowerLaw)?.Alpha;
        double? alphaTuned = PowerLawFit.Fit(tunedSpace.Eigenvalues, options.Metrics.PowerLaw)?.Alpha;

        var metrics = new SortedDictionary<string, double?>(StringComparer.Ordinal)
        {
            [DeltaMetricNames.RelativeChange] = baseFrobenius > 0 ? deltaFrobenius / baseFrobenius : null,
            [DeltaMetricNames.FrobeniusNorm] = deltaFrobenius,
            [DeltaMetricNames.SpectralNorm] = deltaSpectral,
            [DeltaMetricNames.StableRank] = stableRank,
            [DeltaMetricNames.EffectiveRank] = EffectiveRank.Compute(ev),
            [DeltaMetricNames.NumericalRank] = NumericalRank.Compute(ev, n, m, float32, options.Metrics.RankConvention),
            [DeltaMetricNames.MupScale] = mupScale,
            [DeltaMetricNames.SpectralNormMup] = deltaSpectral / mupScale,
            [DeltaMetricNames.SubspaceOverlap] = overlap,
            // From the rounded cosine, so the angle is as reproducible as the cosine.
            [DeltaMetricNames.SubspaceMaxAngle] = overlap is double o ? Math.Acos(o) * 180 / Math.PI : null,
            [DeltaMetricNames.AlphaBase] = alphaBase,
            [DeltaMetricNames.AlphaTuned] = alphaTuned,
            [DeltaMetricNames.AlphaChange] = alphaBase is double ab && alphaTuned is double at ? at - ab : null,
        };
        return new LayerDelta { Name = name, Shape = shape, Status = DeltaStatus.Changed, Metrics = metrics };
    }

    public static LayerDelta Unchanged(string name, long[] shape) => new()
    {
        Name = name, Shape = shape, Status = DeltaStatus.Unchanged,
        Metrics = new SortedDictionary<string, double?>(StringComparer.Ordinal) { [DeltaMetricNames.RelativeChange] = 0 },
    };

    public static LayerDelta Without(string name, long[] shape, long[]? baseShape, DeltaStatus status) => new()
    {
        Name = name, Shape = shape, BaseShape = baseShape, Status = status,
        Metrics = new SortedDictionary<string, double?>(StringComparer.Ordinal),
    };

    /// <summary>The matrix a tensor is compared as: 2-D as stored, higher ranks flattened to <c>[out, in·k…]</c>.</summary>
    public static torch.Tensor AsMatrix(torch.Tensor t) => t.dim() == 2 ? t : t.reshape(t.shape[0], -1);
}
