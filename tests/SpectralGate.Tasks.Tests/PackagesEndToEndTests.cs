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
    private static string RepositoryRoot => DotnetProcess.RepositoryRoot;

    private static (int ExitCode, string Output) Run(string directory, params string[] args) => DotnetProcess.Run(directory, 300_000, args);

    [Test]
    public void AFreshProjectTestsAModelAndGatesItsCheckpointFromTheLocalFeed()
    {
        using var scratch = ScratchFolder.Create("sg-packages");
        string project = Path.Combine(scratch.Path, "MyModelTests");
        Directory.CreateDirectory(Path.Combine(project, "models"));
        string version = LocalToolFeed.Version;
        File.Copy(Path.Combine(RepositoryRoot, "samples", "models", "bars-cnn.safetensors"), Path.Combine(project, "models", "bars-cnn.safetensors"));
        File.WriteAllText(Path.Combine(project, "nuget.config"), LocalToolFeed.NuGetConfig);
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
    }
}
