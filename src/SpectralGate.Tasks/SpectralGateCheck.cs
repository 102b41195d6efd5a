using System;
using System.IO;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace SpectralGate.Tasks
{
    /// <summary>
    /// Checks one model against its spectral baseline by running <c>spectralgate check</c> in its own process (libtorch
    /// never loads inside MSBuild), like Grpc.Tools' ProtoCompile and ILLink's task. The CLI prints canonical
    /// <c>file(line,col): error SG1001: ...</c> lines, which ToolTask logs as located errors and warnings.
    /// </summary>
    public sealed class SpectralGateCheck : ToolTask
    {
        [Required]
        public string Model { get; set; } = "";

        [Required]
        public string Baseline { get; set; } = "";

        /// <summary>Path of spectralgate.dll; empty runs the local dotnet tool (<c>dotnet tool run spectralgate</c>).</summary>
        public string CliPath { get; set; } = "";

        public string[] IncludeTensors { get; set; } = Array.Empty<string>();

        public string[] ExcludeTensors { get; set; } = Array.Empty<string>();

        /// <summary><c>[GLOB:]METRIC=ATOL[,RTOL]</c> overrides.</summary>
        public string[] Tolerances { get; set; } = Array.Empty<string>();

        public string Device { get; set; } = "";

        public string Precision { get; set; } = "";

        /// <summary>Sketched spectra (<c>--sketch</c>): several times faster on large checkpoints, approximate (docs/scale.md).</summary>
        public bool Sketch { get; set; }

        public bool WarnOnly { get; set; }

        /// <summary>Folder for the Markdown/HTML report with ESD plots; none when empty.</summary>
        public string ReportDirectory { get; set; } = "";

        public bool Accept { get; set; }

        public bool Force { get; set; }

        public string AcceptHint { get; set; } = "dotnet build -p:SpectralGateAccept=true";

        protected override string ToolName => "dotnet";

        protected override MessageImportance StandardOutputLoggingImportance => MessageImportance.High;

        protected override MessageImportance StandardErrorLoggingImportance => MessageImportance.High;

        protected override string GenerateFullPathToTool()
        {
            // The .NET host that runs this build, as ILLink's task does; then PATH.
            string? host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
            return !string.IsNullOrEmpty(host) && File.Exists(host) ? host! : "dotnet";
        }

        protected override string GenerateCommandLineCommands() => BuildCommandLine();

        internal string BuildCommandLine()
        {
            var b = new CommandLineBuilder();
            if (string.IsNullOrEmpty(CliPath))
            {
                b.AppendSwitch("tool");
                b.AppendSwitch("run");
                b.AppendSwitch("spectralgate");
            }
            else
            {
                b.AppendFileNameIfNotNull(CliPath);
            }
            b.AppendSwitch("check");
            b.AppendFileNameIfNotNull(Model);
            b.AppendSwitchIfNotNull("--baseline ", Baseline);
            foreach (string glob in IncludeTensors) b.AppendSwitchIfNotNull("--include ", glob);
            foreach (string glob in ExcludeTensors) b.AppendSwitchIfNotNull("--exclude ", glob);
            foreach (string tolerance in Tolerances) b.AppendSwitchIfNotNull("--tolerance ", tolerance);
            if (!string.IsNullOrEmpty(Device)) b.AppendSwitchIfNotNull("--device ", Device);
            if (!string.IsNullOrEmpty(Precision)) b.AppendSwitchIfNotNull("--dtype ", Precision);
            if (Sketch) b.AppendSwitch("--sketch");
            if (WarnOnly) b.AppendSwitch("--warn");
            if (!string.IsNullOrEmpty(ReportDirectory)) b.AppendSwitchIfNotNull("--report ", ReportDirectory);
            if (Accept) b.AppendSwitch("--accept");
            if (Force) b.AppendSwitch("--force");
            b.AppendSwitchIfNotNull("--accept-hint ", AcceptHint);
            return b.ToString();
        }

        /// <summary>
        /// Exit 1 (regressions) and 2 (unreadable input) have already been reported line by line by the CLI; MSBuild's
        /// generic "exited with code N" would only repeat them. Without any diagnostic, report the failure ourselves.
        /// </summary>
        protected override bool HandleTaskExecutionErrors()
        {
            if (Log.HasLoggedErrors) return false;
            Log.LogError(null, ExitCode == 2 ? "SG1004" : "SG1001", null, Model, 0, 0, 0, 0,
                "spectralgate check exited with code {0} for '{1}' without a diagnostic; run it by hand with --verbose.", ExitCode, Model);
            return false;
        }
    }
}
