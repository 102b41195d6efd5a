using System.Diagnostics;
using System.Reflection;

namespace SpectralGate.Tasks.Tests;

/// <summary>
/// What a new user does: a fresh test project outside the solution adds SpectralAssert and SpectralGate.Tasks from a
/// local feed (plus TorchSharp's CPU runtime), writes one spectral test, runs it (TorchSharp loads on this Debian
/// thanks to the package's buildTransitive step), and builds with the gate.
/// </summary>
[Category("EndToEnd")]
[NonParallelizable]
public class PackagesEndToEndTests
{
    private static string RepositoryRoot =>
        typeof(PackagesEndToEndTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "RepositoryRoot").Value!;

    private static (int ExitCode, string Output) Run(string directory, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string a in args) start.ArgumentList.Add(a);
        foreach (string ci in new[] { "CI", "GITHUB_ACTIONS", "TF_BUILD", "ContinuousIntegrationBuild" }) start.Environment.Remove(ci);
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(300_000)) { process.Kill(true); Assert.Fail($"dotnet {string.Join(' ', args)} timed out"); }
        return (process.ExitCode, output.Result + error.Result);
    }

    [Test]
    public void AFreshProjectTestsAModelAndGatesItsCheckpointFromTheLocalFeed()
    {
        string scratch = Path.Combine(Path.GetTempPath(), "sg-packages-" + Guid.NewGuid().ToString("N")[..8]);
        string feed = Path.Combine(scratch, "feed");
        string project = Path.Combine(scratch, "MyModelTests");
        Directory.CreateDirectory(Path.Combine(project, "models"));
        string version = "1.0.0-e2e" + DateTime.UtcNow.ToString("yyyyMMddHHmmss");
        foreach (string package in new[] { "SpectralGate.Engine", "SpectralAssert", "SpectralGate.Tasks" })
        {
            var pack = Run(RepositoryRoot, "pack", Path.Combine(RepositoryRoot, "src", package), "-o", feed, $"-p:Version={version}", "-nodeReuse:false");
            Assert.That(pack.ExitCode, Is.EqualTo(0), pack.Output);
        }
        File.Copy(Path.Combine(RepositoryRoot, "samples", "models", "bars-cnn.safetensors"), Path.Combine(project, "models", "bars-cnn.safetensors"));
        File.WriteAllText(Path.Combine(project, "nuget.config"),
            $"<configuration><packageSources><add key=\"local\" value=\"{feed}\" /></packageSources></configuration>");
        File.WriteAllText(Path.Combine(project, "MyModelTests.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <IsTestProject>true</IsTestProject>
                <ImplicitUsings>enable</ImplicitUsings>
                <SpectralGateCliPath>{Path.Combine(AppContext.BaseDirectory, "spectralgate.dll")}</SpectralGateCliPath>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="SpectralAssert" Version="{version}" />
                <PackageReference Include="SpectralGate.Tasks" Version="{version}" PrivateAssets="all" />
                <PackageReference Include="libtorch-cpu-linux-x64" Version="2.10.0" />
                <PackageReference Include="Microsoft.NET.Test.Sdk" Version="17.14.1" />
                <PackageReference Include="NUnit3TestAdapter" Version="6.3.1" />
              </ItemGroup>
              <ItemGroup>
                <SpectralModel Include="models/bars-cnn.safetensors" />
                <None Include="models/**" CopyToOutputDirectory="PreserveNewest" />
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(project, "ModelSpectrumTests.cs"), """
            using NUnit.Framework;
            using SpectralAssert.Assertions;

            public class ModelSpectrumTests
            {
                private static string Model => Path.Combine(AppContext.BaseDirectory, "models", "bars-cnn.safetensors");

                [Test]
                public void TheCheckpointIsHealthy()
                {
                    Assert.That(Model, Spectrum.AllLayers.Are.Finite);
                    Assert.That(Model, Spectrum.Layers("fc*.weight").Alpha.InRange(2, 6));
                }
            }
            """);

        var accept = Run(project, "build", "-nodeReuse:false", "-p:SpectralGateAccept=true");
        var test = Run(project, "test", "-nodeReuse:false");
        var gated = Run(project, "build", "-nodeReuse:false");

        Assert.Multiple(() =>
        {
            Assert.That(accept.ExitCode, Is.EqualTo(0), accept.Output);
            Assert.That(File.Exists(Path.Combine(project, "baselines", "bars-cnn.spectral.json")), Is.True);
            Assert.That(test.ExitCode, Is.EqualTo(0), test.Output);
            Assert.That(test.Output, Does.Contain("Passed!").And.Contain("Passed:     1"));
            Assert.That(gated.ExitCode, Is.EqualTo(0), gated.Output);
        });
        try { Directory.Delete(scratch, recursive: true); } catch (IOException) { }
    }
}
