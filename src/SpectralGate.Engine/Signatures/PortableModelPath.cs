namespace SpectralGate.Engine.Signatures;

/// <summary>
/// The model path a signature or baseline file records: relative to that file's folder, with '/' separators, so the
/// same checkout in any folder or on any machine writes the same bytes. A model no relative path reaches (another
/// drive) is recorded by its file name; a description that is not a path on disk (<c>module:Net</c>) is kept as is.
/// The model's identity is its sha256 and parameter count, never this path.
/// </summary>
public static class PortableModelPath
{
    /// <summary>The path of <paramref name="modelPath"/> as recorded in <paramref name="recordingFile"/>.</summary>
    public static string For(string modelPath, string recordingFile)
    {
        ArgumentNullException.ThrowIfNull(modelPath);
        ArgumentNullException.ThrowIfNull(recordingFile);
        if (!File.Exists(modelPath) && !Directory.Exists(modelPath)) return modelPath.Replace('\\', '/');
        string model = Path.TrimEndingDirectorySeparator(Path.GetFullPath(modelPath));
        string folder = Path.GetDirectoryName(Path.GetFullPath(recordingFile)) ?? Path.GetPathRoot(model)!;
        string relative = Path.GetRelativePath(folder, model);
        if (Path.IsPathRooted(relative)) relative = Path.GetFileName(model);
        return relative.Replace('\\', '/');
    }

    /// <summary><paramref name="signature"/> with its model path made portable for <paramref name="recordingFile"/>.</summary>
    public static SpectralSignature RecordedIn(SpectralSignature signature, string recordingFile)
    {
        ArgumentNullException.ThrowIfNull(signature);
        string path = For(signature.Model.Path, recordingFile);
        return path == signature.Model.Path ? signature : new SpectralSignature
        {
            FormatVersion = signature.FormatVersion,
            Model = signature.Model with { Path = path },
            Settings = signature.Settings,
            Layers = signature.Layers,
            Skipped = signature.Skipped,
            Coverage = signature.Coverage,
        };
    }
}
