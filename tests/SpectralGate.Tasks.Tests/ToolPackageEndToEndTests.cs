using System.Reflection;
using System.Text.RegularExpressions;

namespace SpectralGate.Tasks.Tests;

/// <summary>
/// The spectralgate tool as users get it: SpectralGate.Cli packed as a dotnet tool to a local feed, installed with a
/// tool manifest, and run by the gate through `dotnet tool run spectralgate` (no SpectralGateCliPath), following
/// docs/gate.md's set-up, read from the doc itself (GateSetUpSteps). Only linux-x64 runs here (docs/gate.md, "Platforms").
/// </summary>
[Category("EndToEnd")]
[NonParallelizable]
public class ToolPackageEndToEndTests
{
    private static string RepositoryRoot =>
        typeof(ToolPackageEndToEndTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "RepositoryRoot").Value!;

    [Test]
    public void TheToolFromALocalFeedGatesAProjectSetUpAsDocsGateMdSays()
    {
        // 760 MB of packages and natives: removed pass or fail.
        using var scratch = ScratchFolder.Create("sg-tool");
        string version = LocalToolFeed.Version, project = Path.Combine(scratch.Path, "Gated");
        var env = new Dictionary<string, string> { ["NUGET_PACKAGES"] = Path.Combine(scratch.Path, "packages") };
        (int ExitCode, string Output) Run(string directory, params string[] args) => DotnetProcess.Run(directory, TimeSpan.FromMinutes(10), env, args);
        (int ExitCode, string Output) Command(string line)
        {
            var words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            Assert.That(words[0], Is.EqualTo("dotnet"), line);
            // The one departure from the doc: the feed's version is a prerelease, which an install without one skips.
            string[] args = words is [_, "tool", "install", ..] ? [.. words[1..], "--version", version] : words[1..];
            return Run(project, args);
        }
        var steps = GateSetUpSteps.FromDocs(RepositoryRoot);
        Assert.That(steps.Commands, Has.Count.EqualTo(3), "docs/gate.md Set up: install, accept, build");
        var model = Regex.Match(steps.ProjectItems, "<SpectralModel Include=\"([^\"]+)\"").Groups[1].Value;
        var baseline = Regex.Match(steps.ProjectItems, "Baseline=\"([^\"]+)\"").Groups[1].Value;

        Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(project, model))!);
        File.Copy(Path.Combine(RepositoryRoot, "samples", "models", "bars-cnn.safetensors"), Path.Combine(project, model));
        File.WriteAllText(Path.Combine(project, "nuget.config"), LocalToolFeed.NuGetConfig);
        File.WriteAllText(Path.Combine(project, "Gated.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup><TargetFramework>net10.0</TargetFramework></PropertyGroup>
            {Regex.Replace(steps.ProjectItems, "Include=\"SpectralGate.Tasks\" Version=\"[^\"]+\"", $"Include=\"SpectralGate.Tasks\" Version=\"{version}\"")}
            </Project>
            """);
        File.WriteAllText(Path.Combine(project, "Marker.cs"), "public static class Marker { }\n");

        // `dotnet tool install SpectralGate.Cli` resolves the pointer package to SpectralGate.Cli.linux-x64 (its
        // layout: ToolPackageLayoutTests). It runs on this Debian only because that package's own libLibTorchSharp.so
        // got the old-glibc fix (docs/gpu-and-linux.md): `dotnet tool run spectralgate` below loads exactly that copy.
        var install = steps.Commands[0].Select(Command).ToList();
        var accept = Command(steps.Commands[1].Single());
        var pass = Command(steps.Commands[2].Single());
        GateEndToEndTests.ReinitialiseLayer(Path.Combine(project, model), "fc2.weight");
        var regression = Command(steps.Commands[2].Single());
        var reaccept = Command(steps.Commands[1].Single());
        var passAgain = Command(steps.Commands[2].Single());

        Assert.Multiple(() =>
        {
            foreach (var step in install) Assert.That(step.ExitCode, Is.EqualTo(0), step.Output);
            Assert.That(Directory.Exists(Path.Combine(scratch.Path, "packages", "spectralgate.cli.linux-x64", version)), Is.True, "the linux-x64 RID package was installed");
            Assert.That(accept.ExitCode, Is.EqualTo(0), accept.Output);
            Assert.That(File.Exists(Path.Combine(project, baseline)), Is.True, baseline);
            Assert.That(pass.ExitCode, Is.EqualTo(0), pass.Output);
            Assert.That(pass.Output, Does.Contain("matches"));
            Assert.That(regression.ExitCode, Is.Not.EqualTo(0));
            Assert.That(regression.Output, Does.Contain("error SG1001: layer 'fc2.weight'"));
            Assert.That(reaccept.ExitCode, Is.EqualTo(0), reaccept.Output);
            Assert.That(passAgain.ExitCode, Is.EqualTo(0), passAgain.Output);
            Assert.That(passAgain.Output, Does.Contain("matches"));
        });
    }
}
