using System.Reflection;
using System.Text.RegularExpressions;

namespace SpectralGate.Tasks.Tests;

/// <summary>
/// The gate in the project shapes users have: multi-targeted (net8.0;net10.0), and test projects that gate only when
/// `dotnet test` runs, in both of its modes on SDK 10 (VSTest, and Microsoft.Testing.Platform chosen in global.json).
/// Each project restores SpectralGate.Tasks from a local feed, as a user's would.
/// </summary>
[Category("EndToEnd")]
[NonParallelizable]
public class GateProjectShapesEndToEndTests
{
    private static string RepositoryRoot =>
        typeof(GateProjectShapesEndToEndTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "RepositoryRoot").Value!;

    private static string Cli => Path.Combine(AppContext.BaseDirectory, "spectralgate.dll");

    private ScratchFolder _scratch = null!;

    private static string Version => LocalToolFeed.Version;

    [OneTimeSetUp]
    public void CreateTheScratch() => _scratch = ScratchFolder.Create("sg-shapes");

    [OneTimeTearDown]
    public void RemoveTheScratch() => _scratch.Dispose();

    private (int ExitCode, string Output) Run(string directory, params string[] args) =>
        DotnetProcess.Run(directory, TimeSpan.FromMinutes(5), new Dictionary<string, string> { ["NUGET_PACKAGES"] = Path.Combine(_scratch.Path, "packages") }, args);

    /// <summary>A project folder with the sample checkpoint, a nuget.config for the feed, and the given project file body.</summary>
    private string Project(string name, string properties, string packages, string? globalJson = null, string? source = null)
    {
        string folder = Path.Combine(_scratch.Path, name);
        Directory.CreateDirectory(Path.Combine(folder, "models"));
        File.Copy(Path.Combine(RepositoryRoot, "samples", "models", "bars-cnn.safetensors"), Path.Combine(folder, "models", "bars-cnn.safetensors"));
        File.WriteAllText(Path.Combine(folder, "nuget.config"), LocalToolFeed.NuGetConfig);
        File.WriteAllText(Path.Combine(folder, "global.json"), globalJson ?? """{ "sdk": { "version": "10.0.100", "rollForward": "latestFeature" } }""");
        File.WriteAllText(Path.Combine(folder, name + ".csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                {properties}
                <ImplicitUsings>enable</ImplicitUsings>
                <SpectralGateCliPath>{Cli}</SpectralGateCliPath>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="SpectralGate.Tasks" Version="{Version}" PrivateAssets="all" />
                {packages}
              </ItemGroup>
              <ItemGroup>
                <SpectralModel Include="models/bars-cnn.safetensors" />
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(folder, "Code.cs"), source ?? "public static class Marker { }\n");
        return folder;
    }

    // The CLI's success line: printed once per check, and never repeated in MSBuild's summary.
    private static int Checks(string output) => Regex.Matches(output, @"spectralgate: \S+bars-cnn\.safetensors matches").Count;

    [Test]
    public void AMultiTargetedProjectIsCheckedOnceInTheOuterBuild()
    {
        string project = Project("MultiTarget", "<TargetFrameworks>net8.0;net10.0</TargetFrameworks>", "");

        var accept = Run(project, "build", "-nodeReuse:false", "-p:SpectralGateAccept=true");
        var build = Run(project, "build", "-nodeReuse:false", "-v:n");
        var again = Run(project, "build", "-nodeReuse:false", "-v:n");

        Assert.Multiple(() =>
        {
            Assert.That(accept.ExitCode, Is.EqualTo(0), accept.Output);
            Assert.That(Regex.Matches(accept.Output, "spectralgate: accepted").Count, Is.EqualTo(1), accept.Output);
            Assert.That(build.ExitCode, Is.EqualTo(0), build.Output);
            Assert.That(Checks(build.Output), Is.EqualTo(1), build.Output);
            Assert.That(Directory.GetFiles(Path.Combine(project, "obj"), "*.stamp", SearchOption.AllDirectories), Has.Length.EqualTo(1));
            Assert.That(again.Output, Does.Contain("Skipping target \"SpectralGateCheck\" because all output files are up-to-date"));
            Assert.That(Checks(again.Output), Is.EqualTo(0));
        });
    }

    private const string NUnitTest = """
        using NUnit.Framework;

        public class SmokeTests
        {
            [Test]
            public void Runs() => Assert.That(1 + 1, Is.EqualTo(2));
        }
        """;

    private const string NUnitPackages = """
        <PackageReference Include="Microsoft.NET.Test.Sdk" Version="17.14.1" />
        <PackageReference Include="NUnit" Version="4.4.0" />
        <PackageReference Include="NUnit3TestAdapter" Version="6.3.1" />
        """;

    [Test]
    public void RunOnTestChecksUnderDotnetTestWithVSTestButNotOnBuild()
    {
        string project = Project("VSTestGated", "<TargetFramework>net10.0</TargetFramework><IsTestProject>true</IsTestProject><SpectralGateRunOn>Test</SpectralGateRunOn>",
            NUnitPackages, source: NUnitTest);
        Assert.That(Run(project, "build", "-nodeReuse:false", "-p:SpectralGateAccept=true").ExitCode, Is.EqualTo(0));

        var build = Run(project, "build", "-nodeReuse:false", "-v:n");
        var test = Run(project, "test", "-nodeReuse:false", "-v:n");

        Assert.Multiple(() =>
        {
            Assert.That(build.ExitCode, Is.EqualTo(0), build.Output);
            Assert.That(Checks(build.Output), Is.EqualTo(0), "a plain build does not gate");
            Assert.That(test.ExitCode, Is.EqualTo(0), test.Output);
            Assert.That(Checks(test.Output), Is.EqualTo(1), test.Output);
            Assert.That(test.Output, Does.Contain("Test Run Successful."));
        });
    }

    [Test]
    public void RunOnTestChecksUnderDotnetTestWithMicrosoftTestingPlatform()
    {
        string project = Project("MtpGated",
            "<TargetFramework>net10.0</TargetFramework><IsTestProject>true</IsTestProject><OutputType>Exe</OutputType><EnableNUnitRunner>true</EnableNUnitRunner><SpectralGateRunOn>Test</SpectralGateRunOn>",
            NUnitPackages,
            globalJson: """{ "sdk": { "version": "10.0.100", "rollForward": "latestFeature" }, "test": { "runner": "Microsoft.Testing.Platform" } }""",
            source: NUnitTest);
        Assert.That(Run(project, "build", "-nodeReuse:false", "-p:SpectralGateAccept=true").ExitCode, Is.EqualTo(0));

        var build = Run(project, "build", "-nodeReuse:false", "-v:n");
        var test = Run(project, "test", "-v:n");

        Assert.Multiple(() =>
        {
            Assert.That(Checks(build.Output), Is.EqualTo(0), "a plain build does not gate");
            Assert.That(test.ExitCode, Is.EqualTo(0), test.Output);
            Assert.That(Checks(test.Output), Is.EqualTo(1), test.Output);
        });
    }
}
