using SpectralGate.Engine.Metrics;
using SpectralGate.Engine.Signatures;

namespace SpectralGate.Cli.Rendering;

/// <summary>
/// What a newcomer needs under the layer table: each column in a line with its typical range (measured in docs/metrics.md),
/// why a cell shows "-", and the skipped weight matrices with their reasons (every skipped tensor with --verbose).
/// </summary>
internal static class TableLegend
{
    private static readonly (string Column, string Meaning)[] Columns =
    [
        ("alpha", "power-law exponent of the eigenvalue tail; 2-6 trained, judged only with >= 50 tail eigenvalues"),
        ("alpha_farms", "alpha of pooled 128x128 windows, less biased by the matrix's aspect ratio"),
        ("ks", "Kolmogorov-Smirnov distance of that power-law fit; lower fits better (alpha judged when <= 1.36/sqrt(tail))"),
        ("stable_rank", "sum(lambda)/lambda_max; a few to tens when trained, near 1 on rank collapse"),
        ("eff_rank", "exp(entropy of the singular values); below min(N,M) when trained"),
        ("entropy", "spectral entropy, 0-1; 0.6-0.9 trained, close to 1 for noise"),
        ("sigma_max", "largest singular value"),
        ("spikes", "eigenvalues above the Marchenko-Pastur bulk: >= 1 when the layer learned structure, 0 for noise"),
    ];

    /// <summary>Why a metric of the table is undefined for a layer (shown as "-").</summary>
    private static string WhyUndefined(string metric) => metric switch
    {
        MetricNames.Alpha or MetricNames.KsDistance => "fewer than 10 eigenvalues above 1e-5: no power-law fit",
        MetricNames.AlphaFarms => "not computed for conv kernels (pooled over kernel positions) and matrices too small for a window",
        MetricNames.NumSpikes => "no Marchenko-Pastur bulk could be fitted",
        _ => "undefined for this spectrum (no positive eigenvalue, or non-finite weights)",
    };

    public static void Write(SpectralSignature signature, IReadOnlyList<(string Header, string Metric)> tableColumns, bool verbose, TextWriter output)
    {
        var undefined = tableColumns.Where(c => signature.Layers.Any(l => l[c.Metric] is null)).ToArray();
        if (undefined.Length > 0)
        {
            output.WriteLine();
            foreach (var (header, metric) in undefined)
                output.WriteLine($"- in {header}: {WhyUndefined(metric)}.");
        }
        output.WriteLine();
        output.WriteLine("Columns:");
        var shown = Columns.Where(c => tableColumns.Any(t => t.Header == c.Column)).ToArray();
        int width = shown.Max(c => c.Column.Length);
        foreach (var (column, meaning) in shown) output.WriteLine($"  {column.PadRight(width)}  {meaning}");
        output.WriteLine("Labels: over_trained/under_trained (alpha < 2 / > 6), random_like (the spectrum of noise), rank_collapse; "
            + "healthy when none fires; alpha_not_judged: not enough spectrum to judge alpha (docs/metrics.md).");

        // Quantization parameters (scales, zero points) are no weight matrices, whatever their rank: counted, listed with --verbose.
        var listed = signature.Skipped.Where(s => verbose || (s.Shape.Length >= 2 && s.Kind != SpectralGate.Engine.Sources.SkipKind.QuantizationParameter)).ToArray();
        int parameters = verbose ? 0 : signature.Skipped.Count(s => s.Kind == SpectralGate.Engine.Sources.SkipKind.QuantizationParameter);
        if (listed.Length > 0)
        {
            output.WriteLine();
            output.WriteLine(verbose ? "Skipped tensors:" : "Skipped weight matrices:");
            foreach (var s in listed) output.WriteLine($"  {s.Name} [{string.Join("x", s.Shape)}]: {s.Reason}");
        }
        if (parameters > 0) output.WriteLine($"{parameters} quantization parameters (scales, zero points, indices) of the quantized weights; --verbose lists them.");
        int hidden = signature.Skipped.Count - listed.Length - parameters;
        if (hidden > 0) output.WriteLine($"{hidden} other tensors skipped (biases, norms, scalars); --verbose lists them.");
    }
}
