using SpectralGate.Tests.Support;

namespace SpectralGate.Cli.Tests;

/// <summary>
/// Each kind of trouble the CLI meets has its own SG code and exit code, so the MSBuild gate never reports a machine
/// problem as a regression (SG1001) or an unreadable model (SG1004).
/// </summary>
public class CliFailureCodesTests
{
    private static string Sample => Path.Combine(TestPaths.RepositoryRoot, "samples", "models", "bars-cnn.safetensors");

    [Test]
    public void CudaOnAToolWithoutACudaRuntimeIsDeviceUnavailableAndSaysHowToGetOne()
    {
        string baseline = Path.Combine(TestPaths.NewScratchFolder(), "b.json");

        var r = CliRunner.Run("check", Sample, "--baseline", baseline, "--device", "cuda");

        Assert.Multiple(() =>
        {
            Assert.That(r.ExitCode, Is.EqualTo(3), r.Output + r.Error);
            Assert.That(r.Output, Does.Contain("error SG1011: device 'cuda'").And.Contain("TorchSharp-cuda").And.Contain("SpectralGateCliPath"));
            Assert.That(r.Output, Does.Not.Contain("SG1001").And.Not.Contain("SG1004"));
        });
    }

    /// <summary>Deltas and adapters open their device through the same compute target as signatures (they used to hand libtorch the bare string).</summary>
    [TestCase("diff", "--delta")]
    [TestCase("inspect", null)]
    public void CudaWithoutACudaRuntimeIsDeviceUnavailableForDeltasAsForSignatures(string command, string? delta)
    {
        string[] args = command == "diff" ? ["diff", Sample, Sample, delta!, "--device", "cuda"] : ["inspect", Sample, "--device", "cuda"];

        var r = CliRunner.Run(args);

        Assert.Multiple(() =>
        {
            Assert.That(r.ExitCode, Is.EqualTo(3), r.Output + r.Error);
            Assert.That(r.Error, Does.Contain("device 'cuda' was asked for but no CUDA runtime is loaded").And.Contain("TorchSharp-cuda"));
        });
    }

    [Test]
    public void AcceptingAModelPathWithATypoIsFileNotFound()
    {
        string folder = TestPaths.NewScratchFolder();

        var r = CliRunner.Run("check", Path.Combine(folder, "modle.safetensors"), "--baseline", Path.Combine(folder, "b.json"), "--accept", "--force");

        Assert.That(r.ExitCode, Is.EqualTo(2));
        Assert.That(r.Output, Does.Contain("error SG1004: file not found: model").And.Contain("modle.safetensors"));
        Assert.That(File.Exists(Path.Combine(folder, "b.json")), Is.False);
    }

    [Test]
    public void TheRefusalToAcceptOnCiNamesTheSwitchItIsGiven()
    {
        string folder = TestPaths.NewScratchFolder();

        var r = CliRunner.Run("check", Sample, "--baseline", Path.Combine(folder, "b.json"), "--accept", "--force-hint", "pass -p:SpectralGateForceAccept=true");

        Assert.That(r.Output, Does.Contain("error SG1013").And.Contain("or pass -p:SpectralGateForceAccept=true.").And.Not.Contain("--force"));
    }

    [Test]
    public void ACliThatCannotLoadLibtorchIsAToolFailureWithTheInstallCommand()
    {
        // The CLI's own files without its natives, and no NuGet cache for TorchSharp to fall back on: what a tool
        // package for another OS looks like on this machine.
        string copy = TestPaths.NewScratchFolder();
        foreach (string file in Directory.EnumerateFiles(AppContext.BaseDirectory))
            File.Copy(file, Path.Combine(copy, Path.GetFileName(file)));
        var noCache = new Dictionary<string, string> { ["NUGET_PACKAGES"] = Path.Combine(copy, "no-packages") };

        var r = CliRunner.RunDll(Path.Combine(copy, "spectralgate.dll"), copy, noCache, "check", Sample, "--baseline", Path.Combine(copy, "b.json"));

        Assert.Multiple(() =>
        {
            Assert.That(r.ExitCode, Is.EqualTo(3), r.Output + r.Error);
            Assert.That(r.Output, Does.Contain("error SG1008: spectralgate cannot load libtorch").And.Contain("dotnet tool install SpectralGate.Cli"));
            Assert.That(r.Output, Does.Not.Contain("SG1004"));
        });
    }
}
