namespace SpectralGate.Tasks.Tests;

/// <summary>
/// Issue 19's first hour, word for word: <c>dotnet new nunit</c>, <c>dotnet add package</c> of the three packages (and the
/// TorchSharp runtime) from a local feed, no edit to the project file, a first spectral test that passes. Fails with
/// NU1605 when SpectralAssert's NUnit floor is above the template's NUnit (docs/install.md).
/// </summary>
[Category("EndToEnd")]
[NonParallelizable]
public class NewNUnitProjectTests
{
    private static string RepositoryRoot => DotnetProcess.RepositoryRoot;

    private static (int ExitCode, string Output) Run(string directory, params string[] args) => DotnetProcess.Run(directory, 600_000, args);

    [Test]
    public void ATemplateProjectTakesThePackagesAsTheyAreAndRunsAFirstSpectralTest()
    {
        using var scratch = ScratchFolder.Create("sg-newnunit");
        string project = Path.Combine(scratch.Path, "MyModelTests");
        string version = LocalToolFeed.Version;
        // The feed also holds the engine, which SpectralAssert brings: the project adds only the three packages.
        string[] packages = ["SpectralAssert", "SpectralGate.Analyzers", "SpectralGate.Tasks"];
        var created = Run(scratch.Path, "new", "nunit", "-o", project, "--no-restore");
        Assert.That(created.ExitCode, Is.EqualTo(0), created.Output);
        string projectFile = Path.Combine(project, "MyModelTests.csproj");
        Assert.That(File.ReadAllText(projectFile), Does.Contain("<PackageReference Include=\"NUnit\" Version=\"4."), "the template's NUnit 4.x");
        File.WriteAllText(Path.Combine(project, "nuget.config"), LocalToolFeed.NuGetConfig);
        foreach (string package in packages)
        {
            var add = Run(project, "add", "package", package, "--version", version);
            Assert.That(add.ExitCode, Is.EqualTo(0), add.Output);
        }
        var runtime = Run(project, "add", "package", "libtorch-cpu-linux-x64", "--version", "2.10.0");
        Assert.That(runtime.ExitCode, Is.EqualTo(0), runtime.Output);
        File.Copy(Path.Combine(RepositoryRoot, "samples", "models", "bars-cnn.safetensors"), Path.Combine(project, "bars-cnn.safetensors"));
        File.WriteAllText(Path.Combine(project, "UnitTest1.cs"), """
            using SpectralAssert.Assertions;

            public class ModelSpectrumTests
            {
                private static string Model => Path.Combine(TestContext.CurrentContext.TestDirectory, "..", "..", "..", "bars-cnn.safetensors");

                [Test]
                public void TheSampleLearnedSomething()
                {
                    Assert.That(Model, Spectrum.AllLayers.Are.Finite);
                    Assert.That(Model, Spectrum.AllLayers.Are.Not.RandomLike);
                }
            }
            """);

        var test = Run(project, "test", "-nodeReuse:false");

        Assert.That(test.ExitCode, Is.EqualTo(0), test.Output);
        Assert.That(test.Output, Does.Contain("Passed!").And.Contain("Passed:     1"));
    }
}
