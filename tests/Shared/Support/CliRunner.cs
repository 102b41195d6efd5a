using System.Diagnostics;

namespace SpectralGate.Tests.Support;

/// <summary>Runs the spectralgate CLI (built beside the tests) in its own process, as the MSBuild gate and people do.</summary>
internal static class CliRunner
{
    public sealed record Result(int ExitCode, string Output, string Error);

    public static Result Run(params string[] args) => RunIn(null, args);

    public static Result RunIn(string? workingDirectory, params string[] args) => RunWith(workingDirectory, new Dictionary<string, string>(), args);

    /// <summary>As <see cref="RunIn"/>, with extra environment variables (OMP_NUM_THREADS, ...).</summary>
    public static Result RunWith(string? workingDirectory, IReadOnlyDictionary<string, string> environment, params string[] args) =>
        RunDll(Path.Combine(AppContext.BaseDirectory, "spectralgate.dll"), workingDirectory, environment, args);

    /// <summary>Runs a given spectralgate.dll (a damaged copy, say) with extra environment variables.</summary>
    public static Result RunDll(string dll, string? workingDirectory, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        start.ArgumentList.Add(dll);
        foreach (string a in args) start.ArgumentList.Add(a);
        start.Environment["CI"] = "true"; // no progress bar, no auto-accept
        foreach (var (name, value) in environment) start.Environment[name] = value;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(120_000))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"spectralgate {string.Join(" ", args)} did not finish in 120 s");
        }
        return new Result(process.ExitCode, stdout.Result, stderr.Result);
    }
}
