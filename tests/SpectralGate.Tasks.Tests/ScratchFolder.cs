namespace SpectralGate.Tasks.Tests;

/// <summary>
/// A new empty folder under the system temp folder, removed on <see cref="Dispose"/>. Outside the repository on purpose:
/// a project built there inherits none of the repository's Directory.Build files, and no tool manifest is above it.
/// </summary>
internal sealed class ScratchFolder : IDisposable
{
    private ScratchFolder(string path) => Path = path;

    public string Path { get; }

    /// <param name="prefix">Names the test in the folder name (<c>sg-e2e-1a2b3c4d</c>), for whoever finds one left by a killed run.</param>
    public static ScratchFolder Create(string prefix)
    {
        string path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"{prefix}-{Guid.NewGuid().ToString("N")[..8]}");
        Directory.CreateDirectory(path);
        return new ScratchFolder(path);
    }

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { }
    }
}
