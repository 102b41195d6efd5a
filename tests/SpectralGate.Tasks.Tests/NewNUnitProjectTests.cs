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
        string scratch = Path.Combine(Path.GetTempPath(), "sg-newnunit-" + Guid.NewGuid().ToString("N")[..8]);
        string feed = Path.Combine(scratch, "feed");
        string project = Path.Combine(scratch, "MyModelTests");
        Directory.CreateDirectory(scratch);
        string version = "1.0.0-tmpl" + DateTime.UtcNow.ToString("yyyyMMddHHmmss");
        string[] packages = ["SpectralAssert", "SpectralGate.Analyzers", "SpectralGate.Tasks"];
        // The feed also holds the engine, which SpectralAssert brings: the project adds only the three packages.
        foreach (string package in (string[])["SpectralGate.Engine", .. packages])
        {
            var pack = Run(RepositoryRoot, "pack", Path.Combine(RepositoryRoot, "src", package), "-o", feed, $"-p:Version={version}", "-nodeReuse:false");
            Assert.That(pack.ExitCode, Is.EqualTo(0), pack.Output);
        }
        var created = Run(scratch, "new", "nunit", "-o", project, "--no-restore");
        Assert.That(created.ExitCode, Is.EqualTo(0), created.Output);
        string projectFile = Path.Combine(project, "MyModelTests.csproj");
        Assert.That(File.ReadAllText(projectFile), Does.Contain("<PackageReference Include=\"NUnit\" Version=\"4."), "the template's NUnit 4.x");
        File.WriteAllText(Path.Combine(project, "nuget.config"),
            $"<configuration><packageSources><add key=\"local\" value=\"{feed}\" /></packageSources></configuration>");
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
        try { Directory.Delete(scratch, recursive: true); } catch (IOException) { }
    }
}
