using System.Reflection;

namespace SpectralGate.Tasks.Tests;

/// <summary>
/// The spectralgate tool as users get it: SpectralGate.Cli packed as a dotnet tool to a local feed, installed with a
/// tool manifest, and run by the gate through `dotnet tool run spectralgate` (no SpectralGateCliPath), following
/// docs/gate.md's set-up. Only linux-x64 runs here (docs/gate.md, "Platforms").
/// </summary>
[Category("EndToEnd")]
[NonParallelizable]
public class ToolPackageEndToEndTests
{
    private static string RepositoryRoot =>
        typeof(ToolPackageEndToEndTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "RepositoryRoot").Value!;

    [Test]
    public void TheToolFromALocalFeedGatesAProjectAsDocumented()
    {
        string scratch = Path.Combine(Path.GetTempPath(), "sg-tool-" + Guid.NewGuid().ToString("N")[..8]);
        string feed = LocalToolFeed.Feed, version = LocalToolFeed.Version, project = Path.Combine(scratch, "Gated");
        var env = new Dictionary<string, string> { ["NUGET_PACKAGES"] = Path.Combine(scratch, "packages") };
        (int ExitCode, string Output) Run(string directory, params string[] args) => DotnetProcess.Run(directory, TimeSpan.FromMinutes(10), env, args);
        // `dotnet tool install SpectralGate.Cli` resolves the pointer package to SpectralGate.Cli.linux-x64 (its
        // layout: ToolPackageLayoutTests). It runs on this Debian only because that package's own libLibTorchSharp.so
        // got the old-glibc fix (docs/gpu-and-linux.md): `dotnet tool run spectralgate` below loads exactly that copy.
        Directory.CreateDirectory(Path.Combine(project, "models"));
        File.Copy(Path.Combine(RepositoryRoot, "samples", "models", "bars-cnn.safetensors"), Path.Combine(project, "models", "bars-cnn.safetensors"));
        File.WriteAllText(Path.Combine(project, "nuget.config"),
            $"<configuration><packageSources><add key=\"local\" value=\"{feed}\" /></packageSources></configuration>");
        File.WriteAllText(Path.Combine(project, "Gated.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup><TargetFramework>net10.0</TargetFramework></PropertyGroup>
              <ItemGroup>
                <PackageReference Include="SpectralGate.Tasks" Version="{version}" PrivateAssets="all" />
                <SpectralModel Include="models/bars-cnn.safetensors" Baseline="baselines/bars-cnn.spectral.json" />
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(project, "Marker.cs"), "public static class Marker { }\n");

        var manifest = Run(project, "new", "tool-manifest");
        var install = Run(project, "tool", "install", "SpectralGate.Cli", "--version", version);
        var accept = Run(project, "build", "-nodeReuse:false", "-p:SpectralGateAccept=true");
        var pass = Run(project, "build", "-nodeReuse:false");
        GateEndToEndTests.ReinitialiseLayer(Path.Combine(project, "models", "bars-cnn.safetensors"), "fc2.weight");
        var regression = Run(project, "build", "-nodeReuse:false");

        Assert.Multiple(() =>
        {
            Assert.That(manifest.ExitCode, Is.EqualTo(0), manifest.Output);
            Assert.That(install.ExitCode, Is.EqualTo(0), install.Output);
            Assert.That(Directory.Exists(Path.Combine(scratch, "packages", $"spectralgate.cli.linux-x64", version)), Is.True, "the linux-x64 RID package was installed");
            Assert.That(accept.ExitCode, Is.EqualTo(0), accept.Output);
            Assert.That(pass.ExitCode, Is.EqualTo(0), pass.Output);
            Assert.That(pass.Output, Does.Contain("matches"));
            Assert.That(regression.ExitCode, Is.Not.EqualTo(0));
            Assert.That(regression.Output, Does.Contain("error SG1001: layer 'fc2.weight'"));
        });
        try { Directory.Delete(scratch, recursive: true); } catch (IOException) { }
    }
}
