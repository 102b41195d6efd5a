using System.Globalization;
using System.Text.RegularExpressions;
using SpectralGate.Engine.Errors;

namespace SpectralGate.Engine.Trajectories;

/// <summary>
/// Finds the checkpoints of a training run and their steps (docs/training.md). Each PATH is a checkpoint file, a
/// Hugging Face checkpoint folder (<c>checkpoint-500/</c> holding <c>model.safetensors</c> or an index), a folder of
/// those, or a glob (<c>*</c> and <c>?</c> within a path segment, <c>**</c> across) matching either. The step is read
/// from the name, compared as a number (<c>step-9</c> before <c>step-10</c>): the number after <c>step</c>, <c>iter</c>,
/// <c>checkpoint</c>, <c>ckpt</c> or <c>epoch</c> (in that preference), else the name's only number; or the one capture
/// group of a user's pattern. A name whose step cannot be read, two checkpoints at one step, and a PATH that finds
/// nothing are refused, naming them; nothing is dropped silently (what a folder holds besides checkpoints is listed in
/// <see cref="Discovery.Ignored"/>).
/// </summary>
public static partial class CheckpointSeries
{
    /// <summary>The checkpoints found, in step order, and the entries of searched folders that are not checkpoints.</summary>
    public sealed record Discovery(IReadOnlyList<SeriesCheckpoint> Checkpoints, IReadOnlyList<string> Ignored);

    // Files a folder of checkpoints may hold that are models (a TorchSharp Module.save file has no fixed extension,
    // .dat, .bin and .pt are all seen; other names are listed as ignored, not guessed at).
    private static readonly string[] ModelExtensions = [".safetensors", ".onnx", ".gguf", ".pt", ".pth", ".bin", ".ckpt", ".dat"];

    // Inside a Hugging Face checkpoint folder, the model in the order transformers' from_pretrained prefers it.
    private static readonly string[] HuggingFaceModelFiles =
        ["model.safetensors.index.json", "model.safetensors", "pytorch_model.bin.index.json", "pytorch_model.bin"];

    // Files transformers' Trainer writes beside the model in a checkpoint folder, never a model themselves.
    private static readonly string[] TrainerStateFiles = ["optimizer.pt", "scheduler.pt", "rng_state.pth", "training_args.bin", "scaler.pt"];

    // In order of preference: the first that matches gives the step (a name may hold an epoch and a step).
    private static readonly Regex[] KeywordSteps =
    [
        Keyword(@"(?:global_?)?step"),
        Keyword(@"iter(?:ation)?"),
        Keyword(@"(?:checkpoint|ckpt)"),
        Keyword(@"epoch"),
    ];

    private static Regex Keyword(string word) =>
        new($@"(?:^|[^a-z]){word}[-_ .=]?(\d+)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));

    [GeneratedRegex(@"\d+", RegexOptions.CultureInvariant)]
    private static partial Regex Number();

    /// <summary>Finds the checkpoints <paramref name="paths"/> name, with their steps, in ascending step order.</summary>
    /// <param name="paths">Checkpoint files, checkpoint folders, folders of them, or globs.</param>
    /// <param name="stepPattern">A regular expression with one capture group matched against each step name; null for the default rule.</param>
    public static Discovery Discover(IEnumerable<string> paths, string? stepPattern = null)
    {
        ArgumentNullException.ThrowIfNull(paths);
        Regex? pattern = stepPattern is null ? null : CompilePattern(stepPattern);
        var files = new List<(string Path, string StepName)>();
        var ignored = new List<string>();
        foreach (string path in paths)
        {
            int before = files.Count;
            if (IsGlob(path))
            {
                foreach (string match in ExpandGlob(path)) AddEntry(match, files, ignored, named: false);
                if (files.Count == before) throw new ModelFormatException(path, null, "the pattern matches no checkpoint.");
            }
            else if (File.Exists(path) || Directory.Exists(path)) AddEntry(path, files, ignored, named: true);
            else throw new ModelFormatException(path, null, "file or folder not found.");
            if (files.Count == before) throw new ModelFormatException(path, null, "holds no checkpoint (model files, or checkpoint-N folders holding one).");
        }

        var checkpoints = new List<SeriesCheckpoint>();
        var byPath = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (file, name) in files)
            if (byPath.Add(System.IO.Path.GetFullPath(file))) checkpoints.Add(new SeriesCheckpoint(file, ReadStep(file, name, pattern), name));
        var twice = checkpoints.GroupBy(c => c.Step).FirstOrDefault(g => g.Count() > 1);
        if (twice is not null)
        {
            var both = twice.OrderBy(c => c.Path, StringComparer.Ordinal).ToList();
            throw new ModelFormatException(both[1].Path, null, $"is at step {twice.Key}, as is '{both[0].Path}'; a series holds one checkpoint per step (give --step-pattern if the step is another number of the name).");
        }
        return new Discovery(checkpoints.OrderBy(c => c.Step).ToList(), ignored.Order(StringComparer.Ordinal).ToList());
    }

    /// <summary>The step in <paramref name="stepName"/>; a <see cref="ModelFormatException"/> naming <paramref name="path"/> when it cannot be read.</summary>
    public static long ReadStep(string path, string stepName, Regex? pattern)
    {
        string digits;
        if (pattern is not null)
        {
            Match m;
            try { m = pattern.Match(stepName); }
            catch (RegexMatchTimeoutException e) { throw new ModelFormatException(path, null, $"--step-pattern took too long on '{stepName}'.", e); }
            if (!m.Success || !m.Groups[1].Success)
                throw new ModelFormatException(path, null, $"the step cannot be read: --step-pattern '{pattern}' does not match '{stepName}'.");
            digits = m.Groups[1].Value;
        }
        else if (KeywordSteps.Select(k => k.Match(stepName)).FirstOrDefault(m => m.Success) is { } keyword)
            digits = keyword.Groups[1].Value;
        else
        {
            var numbers = Number().Matches(stepName);
            if (numbers.Count != 1)
                throw new ModelFormatException(path, null, numbers.Count == 0
                    ? $"the step cannot be read: '{stepName}' holds no number; name checkpoints like step-500 or give --step-pattern."
                    : $"the step cannot be read: '{stepName}' holds {numbers.Count} numbers and none after step/iter/checkpoint/epoch; give --step-pattern with one capture group.");
            digits = numbers[0].Value;
        }
        return long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out long step)
            ? step
            : throw new ModelFormatException(path, null, $"the step cannot be read: '{digits}' in '{stepName}' is not a whole number below 2^63.");
    }

    /// <summary>The user's step pattern, refused (as an argument error) unless it is a valid expression with exactly one capture group.</summary>
    public static Regex CompilePattern(string pattern)
    {
        Regex regex;
        try { regex = new Regex(pattern, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1)); }
        catch (ArgumentException e) { throw new ArgumentException($"--step-pattern '{pattern}' is not a valid regular expression: {e.Message}", e); }
        int groups = regex.GetGroupNumbers().Length - 1;
        return groups == 1 ? regex : throw new ArgumentException($"--step-pattern '{pattern}' has {groups} capture groups; it needs exactly one, around the step's digits.");
    }

    /// <summary>The model file of a Hugging Face checkpoint folder, or null when <paramref name="folder"/> is not one.</summary>
    public static string? ModelInFolder(string folder)
    {
        foreach (string name in HuggingFaceModelFiles)
        {
            string file = System.IO.Path.Combine(folder, name);
            if (File.Exists(file)) return file;
        }
        var indexes = Directory.GetFiles(folder, "*.index.json");
        return indexes.Length == 1 ? indexes[0] : null;
    }

    private static void AddEntry(string path, List<(string, string)> files, List<string> ignored, bool named)
    {
        if (File.Exists(path))
        {
            // A file named on the command line is a checkpoint whatever its extension; one a glob found must look like a model.
            if (named || IsModelFileName(System.IO.Path.GetFileName(path))) files.Add((path, StepNameOfFile(path)));
            else ignored.Add(path);
            return;
        }
        if (ModelInFolder(path) is { } model)
        {
            files.Add((model, FolderName(path)));
            return;
        }
        if (!named)
        {
            ignored.Add(path);
            return;
        }
        foreach (string entry in Directory.EnumerateFileSystemEntries(path).Order(StringComparer.Ordinal))
        {
            if (Directory.Exists(entry))
            {
                if (ModelInFolder(entry) is { } inner) files.Add((inner, FolderName(entry)));
                else ignored.Add(entry);
            }
            else if (IsModelFileName(System.IO.Path.GetFileName(entry))) files.Add((entry, StepNameOfFile(entry)));
            else ignored.Add(entry);
        }
    }

    private static bool IsModelFileName(string name) =>
        !TrainerStateFiles.Contains(name, StringComparer.OrdinalIgnoreCase)
        && (name.EndsWith(".index.json", StringComparison.OrdinalIgnoreCase) || ModelExtensions.Any(e => name.EndsWith(e, StringComparison.OrdinalIgnoreCase)));

    // model.safetensors inside checkpoint-500/ takes its step from its folder.
    private static string StepNameOfFile(string file)
    {
        string name = System.IO.Path.GetFileName(file);
        return HuggingFaceModelFiles.Contains(name, StringComparer.OrdinalIgnoreCase) && System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(file)) is { } folder
            ? System.IO.Path.GetFileName(folder) : name;
    }

    private static string FolderName(string folder) => System.IO.Path.GetFileName(System.IO.Path.TrimEndingDirectorySeparator(System.IO.Path.GetFullPath(folder)));

    private static bool IsGlob(string path) => path.AsSpan().IndexOfAny("*?") >= 0;

    /// <summary>Files and folders matching a glob: the segments before the first wildcard are the folder searched.</summary>
    private static IEnumerable<string> ExpandGlob(string pattern)
    {
        string normal = pattern.Replace('\\', '/');
        string[] segments = normal.Split('/');
        int first = Array.FindIndex(segments, s => s.AsSpan().IndexOfAny("*?") >= 0);
        string root = first == 0 ? "." : string.Join('/', segments[..first]);
        if (root.Length == 0) root = "/";
        if (!Directory.Exists(root)) return [];
        var regex = new Regex("^" + PathRegex(segments[first..]) + "$", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
        bool deep = segments[first..].Contains("**");
        int depth = segments.Length - first;
        return Directory.EnumerateFileSystemEntries(root, "*", new EnumerationOptions { RecurseSubdirectories = true, MaxRecursionDepth = deep ? 64 : depth - 1, AttributesToSkip = 0 })
            .Where(e => regex.IsMatch(System.IO.Path.GetRelativePath(root, e).Replace('\\', '/')))
            .Select(e => first == 0 ? System.IO.Path.GetRelativePath(".", e) : e)
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    // '**' spans zero or more folders, so runs/**/step-*.pt also matches runs/step-1.pt.
    private static string PathRegex(string[] segments)
    {
        var sb = new System.Text.StringBuilder();
        for (int i = 0; i < segments.Length; i++)
        {
            bool last = i == segments.Length - 1;
            if (segments[i] == "**")
            {
                sb.Append(last ? ".*" : "(?:.*/)?");
                continue;
            }
            foreach (char c in segments[i])
                sb.Append(c switch { '*' => "[^/]*", '?' => "[^/]", _ => Regex.Escape(c.ToString()) });
            if (!last) sb.Append('/');
        }
        return sb.ToString();
    }
}
