using System.Diagnostics;
using System.Reflection;

namespace SpectralGate.Tasks.Tests;

/// <summary>Runs <c>dotnet</c> as a user would, outside any CI environment, for the end-to-end package tests.</summary>
internal static class DotnetProcess
{
    public static string RepositoryRoot =>
        typeof(DotnetProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "RepositoryRoot").Value!;

    public static (int ExitCode, string Output) Run(string directory, int timeoutMilliseconds, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string a in args) start.ArgumentList.Add(a);
        foreach (string ci in new[] { "CI", "GITHUB_ACTIONS", "TF_BUILD", "ContinuousIntegrationBuild" }) start.Environment.Remove(ci);
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeoutMilliseconds)) { process.Kill(true); Assert.Fail($"dotnet {string.Join(' ', args)} timed out"); }
        return (process.ExitCode, output.Result + error.Result);
    }
}
