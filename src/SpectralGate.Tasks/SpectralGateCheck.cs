using System;
using System.IO;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace SpectralGate.Tasks
{
    /// <summary>
    /// Checks one model (or one trajectory JSON of a training run) against its spectral baseline by running <c>spectralgate check</c> in its own process (libtorch
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

        /// <summary>Also compute <c>alpha_farms</c> (<c>--farms</c>); off by default for its cost (docs/scale.md).</summary>
        public bool Farms { get; set; }

        /// <summary>Marchenko–Pastur fit (<c>--mp-fit</c>): median (default), trimmed-mean or weightwatcher.</summary>
        public string MpFit { get; set; } = "";

        /// <summary>Conv2D matrix scale (<c>--conv-norm</c>): none (default) or weightwatcher.</summary>
        public string ConvNorm { get; set; } = "";

        /// <summary>Also compute <c>rand_distance</c>, <c>num_rand_spikes</c> and the <c>correlation_trap</c> label (<c>--correlation-traps</c>).</summary>
        public bool CorrelationTraps { get; set; }

        /// <summary><c>GLOB=KIND</c> layer kinds over the module class and name rule (<c>--layer-kind</c>, docs/layer-kinds.md).</summary>
        public string[] LayerKinds { get; set; } = Array.Empty<string>();

        /// <summary>Smallest side of an analysed matrix (<c>--min-dimension</c>, default 8).</summary>
        public string MinDimension { get; set; } = "";

        public bool WarnOnly { get; set; }

        /// <summary>A trajectory model only: compare each recorded step with the baseline interpolated on log-step (<c>--interpolate</c>), for runs on another step grid.</summary>
        public bool Interpolate { get; set; }

        /// <summary>Fail (SG1015) on layers whose values changed with every metric within tolerance (<c>--fail-on-equivalent-change</c>).</summary>
        public bool FailOnEquivalentChange { get; set; }

        /// <summary>Folder for the Markdown/HTML report with ESD plots; none when empty.</summary>
        public string ReportDirectory { get; set; } = "";

        /// <summary>SARIF 2.1.0 log of the findings (<c>--sarif</c>); none when empty.</summary>
        public string SarifFile { get; set; } = "";

        public bool Accept { get; set; }

        public bool Force { get; set; }

        public string AcceptHint { get; set; } = "dotnet build -p:SpectralGateAccept=true";

        /// <summary>How the refusal to accept on CI names the switch that forces it.</summary>
        public string ForceHint { get; set; } = "pass -p:SpectralGateForceAccept=true";

        /// <summary>True once the CLI printed a diagnostic with an SG code: its exit code is then explained.</summary>
        private bool _cliReported;

        /// <summary>The CLI's other output, kept to explain a failure it did not diagnose.</summary>
        private readonly System.Collections.Generic.List<string> _otherOutput = new System.Collections.Generic.List<string>();

        /// <summary>Where the CLI runs: <c>dotnet tool run</c> finds the tool manifest from there. The build's current folder when empty.</summary>
        public string ProjectDirectory { get; set; } = "";

        protected override string ToolName => "dotnet";

        protected override string? GetWorkingDirectory() => string.IsNullOrEmpty(ProjectDirectory) ? null : ProjectDirectory;

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
            foreach (ModelOption option in ModelOptions.All) option.AppendTo(b, this);
            if (WarnOnly) b.AppendSwitch("--warn");
            if (!string.IsNullOrEmpty(ReportDirectory)) b.AppendSwitchIfNotNull("--report ", ReportDirectory);
            if (!string.IsNullOrEmpty(SarifFile)) b.AppendSwitchIfNotNull("--sarif ", SarifFile);
            if (Accept) b.AppendSwitch("--accept");
            if (Force) b.AppendSwitch("--force");
            if (Accept && !Force) b.AppendSwitchIfNotNull("--force-hint ", ForceHint);
            b.AppendSwitchIfNotNull("--accept-hint ", AcceptHint);
            return b.ToString();
        }

        protected override bool ValidateParameters()
        {
            if (!string.IsNullOrEmpty(CliPath) && !File.Exists(CliPath))
            {
                Log.LogError(null, ToolFailureDiagnostic.Code, null, Model, 0, 0, 0, 0, "{0}", ToolFailureDiagnostic.CliPathMissing(CliPath, Model));
                return false;
            }
            return base.ValidateParameters();
        }

        protected override void LogEventsFromTextOutput(string singleLine, MessageImportance messageImportance)
        {
            if (ToolFailureDiagnostic.IsCanonicalGateLine(singleLine)) _cliReported = true;
            else if (singleLine.Trim().Length > 0) _otherOutput.Add(singleLine.Trim());
            base.LogEventsFromTextOutput(singleLine, messageImportance);
        }

        /// <summary>
        /// The CLI reports what it found line by line, each with its SG code; MSBuild's generic "exited with code N"
        /// would only repeat them. An exit it did not explain is the tool's failure (SG1008), never a regression.
        /// </summary>
        protected override bool HandleTaskExecutionErrors()
        {
            if (!_cliReported)
                Log.LogError(null, ToolFailureDiagnostic.Code, null, Model, 0, 0, 0, 0, "{0}",
                    ToolFailureDiagnostic.Describe(ExitCode, string.IsNullOrEmpty(CliPath), _otherOutput, Model));
            return false;
        }
    }
}
