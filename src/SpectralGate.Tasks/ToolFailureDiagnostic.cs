using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;

namespace SpectralGate.Tasks
{
    /// <summary>
    /// SG1008: the spectralgate tool could not tell us anything about the model: it is missing, failed to start,
    /// crashed, or exited without a diagnostic. Each message says what happened and how to install a tool that runs.
    /// </summary>
    internal static class ToolFailureDiagnostic
    {
        public const string Code = "SG1008";

        private const string InstallHint =
            "Install the tool for this machine: 'dotnet new tool-manifest' (once per repository), then 'dotnet tool install SpectralGate.Cli' "
            + "(it picks the package of this OS and CPU), or 'dotnet tool restore' where the manifest is committed; "
            + "or set SpectralGateCliPath to a spectralgate.dll that runs here (docs/gate.md).";

        // The canonical lines the CLI prints: file(line,col): error SG1001: ...
        private static readonly Regex GateLine = new Regex(@"\(\d+,\d+\): (error|warning) SG\d{4}: ", RegexOptions.CultureInvariant);

        // What `dotnet tool run` prints when the manifest or the tool is missing (SDK 8-10 wording; SDK 10.0.401 without a manifest: "Cannot find a tool in the manifest file ...").
        private static readonly string[] MissingToolMarkers =
        {
            "Cannot find a manifest file", "Cannot find a tool in the manifest file", "dotnet tool restore", "Could not execute because the specified command or file was not found",
            "is not installed", "Run \"dotnet tool restore\"",
        };

        public static bool IsCanonicalGateLine(string line) => GateLine.IsMatch(line);

        public static string CliPathMissing(string cliPath, string model) =>
            $"SpectralGateCliPath '{cliPath}' does not exist, so model '{model}' was not checked. {InstallHint}";

        public static string Describe(int exitCode, bool viaDotnetTool, IReadOnlyList<string> output, string model)
        {
            string tail = output.Count == 0 ? "no output" : string.Join(" | ", output.Skip(System.Math.Max(0, output.Count - 3)));
            string what;
            if (viaDotnetTool && output.Any(l => MissingToolMarkers.Any(m => l.IndexOf(m, System.StringComparison.OrdinalIgnoreCase) >= 0)))
                what = "the spectralgate tool is not installed for this project ('dotnet tool run spectralgate' failed)";
            else if (exitCode == -1)
                what = "the spectralgate tool could not be started";
            else if (output.Any(l => l.StartsWith("Unhandled exception", System.StringComparison.Ordinal)) || exitCode < 0 || exitCode > 3)
                what = $"spectralgate crashed (exit code {exitCode})";
            else
                what = $"spectralgate exited with code {exitCode} without a diagnostic";
            return $"{what}, so model '{model}' was not checked (last output: {tail}). {InstallHint}";
        }
    }
}
