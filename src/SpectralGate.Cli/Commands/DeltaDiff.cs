using SpectralGate.Engine.Deltas;
using SpectralGate.Engine.Signatures;
using SpectralGate.Engine.Sources;
using SpectralGate.Cli.Rendering;

namespace SpectralGate.Cli.Commands;

/// <summary><c>spectralgate diff BASE TUNED --delta</c>: what a fine-tune (a checkpoint or a PEFT LoRA folder) changed, per layer.</summary>
internal static class DeltaDiff
{
    /// <summary>Signature options the delta has no step for: refused with --delta rather than silently ignored.</summary>
    public static readonly string[] NotApplicable = [.. ComputationOptions.All
        .Where(o => o.CliFlag is not null && (o.Scope == OptionScope.Signatures || o.RefusedByDelta) && o != ComputationOptions.Shard).Select(o => o.CliFlag!)];

    /// <summary>Exit 0 with the table (and the delta JSON on request): a delta is a report; assertions and the gate judge it.</summary>
    public static int Run(string basePath, string tunedPath, string? jsonPath, SignatureOptions options, string? reportDirectory = null)
    {
        if (basePath.EndsWith(".json", StringComparison.OrdinalIgnoreCase) && !basePath.EndsWith(".index.json", StringComparison.OrdinalIgnoreCase))
            throw new ArgumentException($"--delta needs the base model's weights, not a signature: {basePath}");
        var deltaOptions = new DeltaOptions(options);
        DeltaSignature delta;
        using (var baseSource = ModelSources.Open(basePath))
        {
            if (LoraAdapter.IsAdapter(tunedPath))
            {
                using var adapter = LoraAdapter.Open(tunedPath);
                delta = DeltaEngine.Compute(baseSource, adapter, deltaOptions);
            }
            else
            {
                using var tuned = ModelSources.Open(tunedPath);
                delta = DeltaEngine.Compute(baseSource, tuned, deltaOptions);
            }
        }
        if (reportDirectory is not null) Reports.DeltaReport.Write(reportDirectory, delta);
        if (jsonPath == "-")
        {
            Console.Out.Write(DeltaJson.ToText(delta));
            return ExitCodes.Success;
        }
        DeltaTable.Write(delta, Console.Out);
        if (jsonPath is not null)
        {
            DeltaJson.Write(jsonPath, delta);
            Console.Out.WriteLine($"Delta written to {jsonPath}");
        }
        if (reportDirectory is not null) Console.Out.WriteLine($"Report written to {Path.Combine(reportDirectory, Reports.DeltaReport.MarkdownFile)}");
        return ExitCodes.Success;
    }
}
