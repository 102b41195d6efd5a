using System.Reflection;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;

namespace SpectralGate.Analyzers.Tests;

/// <summary>
/// The end-to-end check: <c>dotnet build</c> of samples/AnalyzerShowcase, with the analyzers loaded by the real
/// compiler, reports exactly these SG diagnostics, no more and no fewer.
/// </summary>
[Category("Integration")]
public class ShowcaseBuildTests
{
    private static readonly string[] Expected =
    {
        "Models/HyperConnections.cs(22): SG0001",
        "Models/HyperConnections.cs(40): SG0001",
        "Models/LinearRecurrences.cs(12): SG0002",
        "Models/LinearRecurrences.cs(36): SG0002",
        "Models/LinearRecurrences.cs(44): SG0003",
        "Models/SpectralProbes.cs(18): SG0004",
        "Models/SpectralProbes.cs(28): SG0005",
        "Models/SpectralProbes.cs(36): SG0006",
    };

    [Test]
    [CancelAfter(180_000)]
    public void Build_reports_exactly_the_expected_diagnostics()
    {
        var project = Path.Combine(RepositoryRoot(), "samples", "AnalyzerShowcase", "AnalyzerShowcase.csproj");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // The analyzers were built with this test project, in its configuration: only the sample is rebuilt.
        var configuration = new DirectoryInfo(TestContext.CurrentContext.TestDirectory).Parent!.Name;
        foreach (var argument in new[] { "build", project, "-c", configuration, "--no-incremental", "-nologo", "-nodeReuse:false", "-p:BuildProjectReferences=false", "-clp:NoSummary" })
        {
            start.ArgumentList.Add(argument);
        }

        // The test host's MSBuild variables must not leak into the child build.
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase) || k.StartsWith("DOTNET_HOST", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(key);
        }

        using var process = Process.Start(start)!;
        var errorTask = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        var all = output + errorTask.Result;

        Assert.That(process.ExitCode, Is.Zero, all);
        var actual = Regex.Matches(all, @"AnalyzerShowcase[/\\](?<file>[^(\s]+)\((?<line>\d+),\d+\): warning (?<id>SG\d{4})")
            .Select(m => $"{m.Groups["file"].Value.Replace('\\', '/')}({m.Groups["line"].Value}): {m.Groups["id"].Value}")
            .Distinct()
            .OrderBy(s => s, StringComparer.Ordinal);
        Assert.That(actual, Is.EqualTo(Expected), all);
    }

    // From the build, not [CallerFilePath]: a CI build maps source paths to /_/.
    private static string RepositoryRoot() =>
        typeof(ShowcaseBuildTests).Assembly.GetCustomAttributes<System.Reflection.AssemblyMetadataAttribute>().Single(a => a.Key == "RepositoryRoot").Value!;
}
