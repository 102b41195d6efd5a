namespace SpectralGate.Tasks.Tests;

/// <summary>
/// <c>Device="cuda"</c> through the whole gate: the MSBuild task runs the CPU-only spectralgate CLI, which refuses
/// with SG1011 and says how to get a CUDA runtime (docs/gpu-and-linux.md); never a regression, never a crash.
/// </summary>
[Category("EndToEnd")]
[NonParallelizable]
public class DeviceRefusalEndToEndTests
{
    [Test]
    public void AGpuItemOnTheCpuToolFailsTheBuildWithDeviceUnavailableAndTheWayToACudaCli()
    {
        using var scratch = ScratchFolder.Create("sg-cuda");
        string project = Path.Combine(scratch.Path, "GpuGated");
        Directory.CreateDirectory(Path.Combine(project, "models"));
        File.Copy(Path.Combine(DotnetProcess.RepositoryRoot, "samples", "models", "bars-cnn.safetensors"), Path.Combine(project, "models", "bars-cnn.safetensors"));
        File.WriteAllText(Path.Combine(project, "nuget.config"), LocalToolFeed.NuGetConfig);
        File.WriteAllText(Path.Combine(project, "GpuGated.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <SpectralGateCliPath>{Path.Combine(AppContext.BaseDirectory, "spectralgate.dll")}</SpectralGateCliPath>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="SpectralGate.Tasks" Version="{LocalToolFeed.Version}" PrivateAssets="all" />
                <SpectralModel Include="models/bars-cnn.safetensors" Device="cuda" />
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(project, "Marker.cs"), "public static class Marker { }\n");
        var env = new Dictionary<string, string> { ["NUGET_PACKAGES"] = Path.Combine(scratch.Path, "packages") };

        var accept = DotnetProcess.Run(project, TimeSpan.FromMinutes(5), env, "build", "-p:SpectralGateAccept=true");
        var check = DotnetProcess.Run(project, TimeSpan.FromMinutes(5), env, "build");

        Assert.Multiple(() =>
        {
            foreach (var build in new[] { accept, check })
            {
                Assert.That(build.ExitCode, Is.Not.EqualTo(0), build.Output);
                Assert.That(build.Output, Does.Contain("error SG1011: device 'cuda'"));
                Assert.That(build.Output, Does.Contain("TorchSharp-cuda").And.Contain("SpectralGateCliPath"), "how to get a CUDA runtime");
                Assert.That(build.Output, Does.Not.Contain("SG1001").And.Not.Contain("SG1008"));
            }
            Assert.That(Path.Combine(project, "baselines", "bars-cnn.spectral.json"), Does.Not.Exist, "a refused accept writes nothing");
        });
    }
}
