using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace SpectralGate.Tasks
{
    /// <summary>
    /// Resolves a project's <c>SpectralModel</c> items before any check runs: each item's baseline, stamp and options
    /// file; two items sharing a baseline (SG1012); baselines in the baseline folder that no item uses any more, i.e.
    /// models removed from the project (SG1006). The options file records everything that changes a check's verdict
    /// (the CLI and its version, every <see cref="ModelOptions"/> metadata, failing on equivalent changes, warn-only), so changing any of them
    /// re-runs the check although the model and baseline are unchanged.
    /// </summary>
    public sealed class SpectralGateResolveModels : Task
    {
        public const string BaselineCollisionCode = "SG1012";
        public const string StaleBaselineCode = "SG1006";
        private const string BaselineSuffix = ".spectral.json";

        [Required]
        public ITaskItem[] Models { get; set; } = Array.Empty<ITaskItem>();

        [Required]
        public string ProjectDirectory { get; set; } = "";

        [Required]
        public string BaselineDirectory { get; set; } = "";

        [Required]
        public string StampDirectory { get; set; } = "";

        public string CliPath { get; set; } = "";

        public bool WarnOnly { get; set; }

        /// <summary>The SARIF log the checks write: a new path needs a run to fill it.</summary>
        public string SarifFile { get; set; } = "";

        /// <summary>Each model with <c>Baseline</c>, <c>Stamp</c> and <c>OptionsFile</c> metadata, all full paths.</summary>
        [Output]
        public ITaskItem[] ResolvedModels { get; private set; } = Array.Empty<ITaskItem>();

        public override bool Execute()
        {
            string cli = CliIdentity();
            var resolved = new List<ITaskItem>();
            foreach (ITaskItem model in Models)
            {
                string modelPath = Path.GetFullPath(Path.Combine(ProjectDirectory, model.ItemSpec));
                string declared = model.GetMetadata("Baseline");
                string baseline = Path.GetFullPath(declared.Length > 0
                    ? Path.Combine(ProjectDirectory, declared)
                    : Path.Combine(BaselineDirectory, Path.GetFileNameWithoutExtension(modelPath) + BaselineSuffix));
                string stem = Path.Combine(StampDirectory, Path.GetFileName(modelPath) + "." + StableHash(model.ItemSpec));
                var item = new TaskItem(modelPath);
                model.CopyMetadataTo(item);
                item.SetMetadata("OriginalItemSpec", model.ItemSpec);
                item.SetMetadata("Baseline", baseline);
                item.SetMetadata("Stamp", stem + ".stamp");
                item.SetMetadata("OptionsFile", stem + ".options");
                WriteIfDifferent(stem + ".options", Options(model, cli));
                resolved.Add(item);
            }

            foreach (var group in resolved.GroupBy(m => m.GetMetadata("Baseline"), PathComparer).Where(g => g.Count() > 1))
            {
                string items = string.Join("' and '", group.Select(m => m.GetMetadata("OriginalItemSpec")));
                Log.LogError(null, BaselineCollisionCode, null, group.First().GetMetadata("OriginalItemSpec"), 0, 0, 0, 0,
                    "SpectralModel items '{0}' would share the baseline '{1}', so each check would overwrite the other's. Give each item its own Baseline metadata.",
                    items, group.Key);
            }

            if (Directory.Exists(BaselineDirectory))
            {
                var used = new HashSet<string>(resolved.Select(m => m.GetMetadata("Baseline")), PathComparer);
                foreach (string file in Directory.EnumerateFiles(BaselineDirectory, "*" + BaselineSuffix).OrderBy(f => f, StringComparer.Ordinal))
                {
                    string full = Path.GetFullPath(file);
                    if (used.Contains(full)) continue;
                    Log.LogError(null, StaleBaselineCode, null, full, 1, 1, 0, 0,
                        "baseline that no SpectralModel item of this project uses any more (was its model removed from the project?). Delete it, or add the item back.");
                }
            }

            ResolvedModels = resolved.ToArray();
            return !Log.HasLoggedErrors;
        }

        private static StringComparer PathComparer =>
            Path.DirectorySeparatorChar == '\\' ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal;

        private string Options(ITaskItem model, string cli)
        {
            var b = new StringBuilder();
            b.Append(cli);
            foreach (string key in ModelOptions.All.Select(o => o.Metadata))
                b.Append(key).Append('=').Append(model.GetMetadata(key)).Append('\n');
            b.Append("WarnOnly=").Append(WarnOnly ? "true" : "false").Append('\n');
            b.Append("SarifFile=").Append(SarifFile).Append('\n');
            return b.ToString();
        }

        /// <summary>The CLI that will run and its version: a SpectralGateCliPath file, or the version pinned in the tool manifest.</summary>
        private string CliIdentity()
        {
            if (!string.IsNullOrEmpty(CliPath))
            {
                var info = new FileInfo(CliPath);
                string version = info.Exists ? FileVersionInfo.GetVersionInfo(info.FullName).ProductVersion ?? "" : "missing";
                long written = info.Exists ? info.LastWriteTimeUtc.Ticks : 0;
                return $"Cli={info.FullName}\nCliVersion={version}\nCliWritten={written}\n";
            }
            string? manifest = FindToolManifest(ProjectDirectory);
            string pinned = manifest is null ? "no tool manifest" : PinnedVersion(File.ReadAllText(manifest)) ?? "not in the manifest";
            return $"Cli=dotnet tool run spectralgate\nCliManifest={manifest}\nCliVersion={pinned}\n";
        }

        /// <summary>The manifest <c>dotnet tool run</c> would use: the first <c>.config/dotnet-tools.json</c> or <c>dotnet-tools.json</c> up from the project.</summary>
        internal static string? FindToolManifest(string directory)
        {
            for (var d = new DirectoryInfo(directory); d is not null; d = d.Parent)
            {
                foreach (string candidate in new[] { Path.Combine(d.FullName, ".config", "dotnet-tools.json"), Path.Combine(d.FullName, "dotnet-tools.json") })
                    if (File.Exists(candidate)) return candidate;
            }
            return null;
        }

        internal static string? PinnedVersion(string manifestJson)
        {
            var match = Regex.Match(manifestJson, "\"spectralgate\\.cli\"\\s*:\\s*\\{[^}]*?\"version\"\\s*:\\s*\"([^\"]+)\"", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
            return match.Success ? match.Groups[1].Value : null;
        }

        private static void WriteIfDifferent(string path, string content)
        {
            // Rewritten only on a change: its time stamp is an input of the check.
            if (File.Exists(path) && File.ReadAllText(path) == content) return;
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            string temporary = path + ".tmp";
            File.WriteAllText(temporary, content);
            if (File.Exists(path)) File.Delete(path);
            File.Move(temporary, path);
        }

        /// <summary>FNV-1a of the item as written: stamps of two items with one file name stay apart, the same on every machine.</summary>
        private static string StableHash(string text)
        {
            uint hash = 2166136261;
            foreach (char c in text) { hash ^= c; hash *= 16777619; }
            return hash.ToString("x8", System.Globalization.CultureInfo.InvariantCulture);
        }
    }
}
