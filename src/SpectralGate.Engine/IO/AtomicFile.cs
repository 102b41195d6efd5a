namespace SpectralGate.Engine.IO;

/// <summary>
/// Writes a whole file or nothing: the bytes go to a uniquely named temporary file in the same folder, are flushed
/// to disk, and replace the target by a rename. Readers and concurrent writers never see half a file, and a crash
/// mid-write leaves the old file intact (tested by killing a writer: AtomicWriteKillTests). The temporary file of a
/// killed writer is removed by the next write to the same path.
/// </summary>
public static class AtomicFile
{
    public static void WriteAllBytes(string path, ReadOnlySpan<byte> bytes) => Write(path, bytes, replace: true);

    /// <summary>
    /// Writes the file only if it does not exist yet, atomically: of several processes creating the same file at once
    /// exactly one succeeds (true) and the others leave it as that one wrote it (false).
    /// </summary>
    public static bool TryCreate(string path, ReadOnlySpan<byte> bytes) => Write(path, bytes, replace: false);

    private static bool Write(string path, ReadOnlySpan<byte> bytes, bool replace)
    {
        string full = Path.GetFullPath(path);
        string folder = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(folder);
        RemoveOrphans(folder, Path.GetFileName(full));
        string temp = Path.Combine(folder, $".{Path.GetFileName(full)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                stream.Write(bytes);
                stream.Flush(flushToDisk: true);
            }
            if (replace)
            {
                File.Move(temp, full, overwrite: true);
                return true;
            }
            try
            {
                // Without overwrite the move fails when the target exists (link(2) on Unix, MoveFileEx on Windows): no window between test and create.
                File.Move(temp, full, overwrite: false);
                return true;
            }
            catch (IOException) when (File.Exists(full))
            {
                return false;
            }
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    /// <summary>Deletes temporary files of this target left by writers that no longer run (killed mid-write).</summary>
    private static void RemoveOrphans(string folder, string name)
    {
        foreach (string file in Directory.EnumerateFiles(folder, $".{name}.*.tmp"))
        {
            string[] parts = Path.GetFileName(file)[(name.Length + 2)..].Split('.');
            if (parts.Length != 3 || !int.TryParse(parts[0], out int pid) || pid == Environment.ProcessId || IsRunning(pid)) continue;
            try { File.Delete(file); }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }
}
