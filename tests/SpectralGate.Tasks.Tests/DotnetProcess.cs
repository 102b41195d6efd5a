using System.Diagnostics;
using System.Reflection;

namespace SpectralGate.Tasks.Tests;

/// <summary>Runs the dotnet CLI as a user would, outside any CI (so accepting is allowed), with no MSBuild node reuse.</summary>
internal static class DotnetProcess
{
    public static string RepositoryRoot =>
        typeof(DotnetProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "RepositoryRoot").Value!;

    public static (int ExitCode, string Output) Run(string directory, int timeoutMilliseconds, params string[] args) =>
        Run(directory, TimeSpan.FromMilliseconds(timeoutMilliseconds), new Dictionary<string, string>(), args);

    public static (int ExitCode, string Output) Run(string directory, TimeSpan timeout, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string a in args) start.ArgumentList.Add(a);
        foreach (string ci in new[] { "CI", "GITHUB_ACTIONS", "TF_BUILD", "ContinuousIntegrationBuild" }) start.Environment.Remove(ci);
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        foreach (var (name, value) in environment) start.Environment[name] = value;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout)) { process.Kill(true); Assert.Fail($"dotnet {string.Join(' ', args)} timed out"); }
        return (process.ExitCode, output.Result + error.Result);
    }
}
