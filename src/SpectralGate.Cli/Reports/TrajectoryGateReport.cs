using System.Text;
using SpectralGate.Engine.Gate;
using SpectralGate.Engine.IO;
using SpectralGate.Engine.Reports;

namespace SpectralGate.Cli.Reports;

/// <summary>
/// The report of one trajectory check: <c>{run}.md</c> with the verdict, the diagnostics and the per-series table (the
/// curves with their bands are drawn by <c>spectralgate trajectory --report</c>). On GitHub Actions the Markdown is
/// also appended to <c>$GITHUB_STEP_SUMMARY</c>, as the model report is.
/// </summary>
internal static class TrajectoryGateReport
{
    public static void Write(string directory, string trajectoryPath, TrajectoryGateResult result)
    {
        Directory.CreateDirectory(directory);
        var md = new StringBuilder();
        md.Append($"## SpectralGate: `{trajectoryPath}`\n\n");
        md.Append(result.HasErrors ? "**Failed**\n\n" : "**Passed**\n\n");
        if (result.Diagnostics.Count > 0)
        {
            md.Append("| code | where | message |\n|---|---|---|\n");
            foreach (var d in result.Diagnostics) md.Append($"| {d.Code} | {Path.GetFileName(d.File)}:{d.Line} | {d.Message.Replace("|", "\\|")} |\n");
            md.Append('\n');
        }
        if (result.Comparison is { } comparison)
        {
            md.Append(comparison.Summary).Append(".\n\n");
            if (!comparison.IsMatch) md.Append("```\n").Append(TrajectoryComparisonTable.Render(comparison)).Append("```\n\n");
            foreach (string note in comparison.Notes) md.Append("- ").Append(note).Append('\n');
        }
        string text = md.ToString();
        string name = Path.GetFileName(trajectoryPath);
        AtomicFile.WriteAllBytes(Path.Combine(directory, (name.EndsWith(".json", StringComparison.OrdinalIgnoreCase) ? name[..^5] : name) + ".md"), Encoding.UTF8.GetBytes(text));
        if (Environment.GetEnvironmentVariable("GITHUB_STEP_SUMMARY") is { Length: > 0 } summary) File.AppendAllText(summary, text);
    }
}
