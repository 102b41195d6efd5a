using System.Diagnostics;
using System.Reflection;

namespace SpectralGate.Tasks.Tests;

/// <summary>
/// The gate as users meet it: the SpectralGate.Tasks package packed to a local feed, a project (a copy of
/// samples/CheckpointGate) restoring it, and `dotnet build` runs against a checkpoint that stays, lacks a baseline,
/// gets accepted, and has a layer re-initialised.
/// </summary>
[Category("EndToEnd")]
[NonParallelizable]
public class GateEndToEndTests
{
    private static string RepositoryRoot =>
        typeof(GateEndToEndTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "RepositoryRoot").Value!;

    private string _project = "";
    private string _packages = "";
    private string _version = "";
    private ScratchFolder _scratch = null!;

    [OneTimeSetUp]
    public void CreateTheProject()
    {
        _scratch = ScratchFolder.Create("sg-e2e");
        _packages = Path.Combine(_scratch.Path, "packages");
        _project = Path.Combine(_scratch.Path, "CheckpointGate");
        _version = LocalToolFeed.Version;

        string sample = Path.Combine(RepositoryRoot, "samples", "CheckpointGate");
        Directory.CreateDirectory(Path.Combine(_project, "models"));
        foreach (string file in new[] { "CheckpointGate.csproj", "Marker.cs", "Directory.Build.props", "Directory.Build.targets", "models/bars-cnn.safetensors" })
            File.Copy(Path.Combine(sample, file), Path.Combine(_project, file));
        File.WriteAllText(Path.Combine(_project, "nuget.config"), LocalToolFeed.NuGetConfig);
    }

    [OneTimeTearDown]
    public void RemoveTheScratch() => _scratch.Dispose();

    private (int ExitCode, string Output) Build(params string[] extra) =>
        Run(_project, ["build", "-nodeReuse:false", "-v:n", $"-p:SpectralGateTasksVersion={_version}",
            $"-p:SpectralGateCliPath={Path.Combine(AppContext.BaseDirectory, "spectralgate.dll")}", .. extra]);

    private (int ExitCode, string Output) Run(string directory, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string a in args) start.ArgumentList.Add(a);
        foreach (string ci in new[] { "CI", "GITHUB_ACTIONS", "TF_BUILD", "ContinuousIntegrationBuild" }) start.Environment.Remove(ci);
        if (_packages != "") start.Environment["NUGET_PACKAGES"] = _packages;
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(180_000)) { process.Kill(true); Assert.Fail($"dotnet {string.Join(' ', args)} timed out"); }
        return (process.ExitCode, output.Result + error.Result);
    }

    [Test]
    public void TheGateFailsPassesAcceptsSkipsAndCatchesAReinitialisedLayer()
    {
        string baseline = Path.Combine(_project, "baselines", "bars-cnn.spectral.json");

        var missing = Build();
        var accept = Build("-p:SpectralGateAccept=true");
        var unchanged = Build();
        var again = Build();
        var warnOnly = Build("-p:SpectralGateWarnOnly=true");
        var strict = Build();
        ReinitialiseLayer(Path.Combine(_project, "models", "bars-cnn.safetensors"), "fc2.weight");
        var changed = Build();
        int fc2Line = Array.FindIndex(File.ReadAllLines(baseline), l => l.Contains("\"name\": \"fc2.weight\"")) + 1;

        Assert.Multiple(() =>
        {
            Assert.That(missing.ExitCode, Is.Not.EqualTo(0));
            Assert.That(missing.Output, Does.Contain("error SG1003"));
            Assert.That(accept.ExitCode, Is.EqualTo(0), accept.Output);
            Assert.That(File.Exists(baseline), Is.True);
            Assert.That(unchanged.ExitCode, Is.EqualTo(0), unchanged.Output);
            Assert.That(unchanged.Output, Does.Contain("matches"));
            Assert.That(again.ExitCode, Is.EqualTo(0));
            Assert.That(again.Output, Does.Contain("Skipping target \"SpectralGateCheck\" because all output files are up-to-date"));
            Assert.That(warnOnly.Output, Does.Contain("matches").And.Not.Contain("Skipping target \"SpectralGateCheck\""), "another option: the check runs");
            Assert.That(strict.Output, Does.Contain("matches").And.Not.Contain("Skipping target \"SpectralGateCheck\""), "a warn-only stamp never lets a strict build skip");
            Assert.That(changed.ExitCode, Is.Not.EqualTo(0));
            Assert.That(changed.Output, Does.Contain($"{baseline}({fc2Line},"));
            Assert.That(changed.Output, Does.Contain("error SG1001: layer 'fc2.weight'"));
        });
    }

    /// <summary>Overwrites one tensor's bytes in place with a different random matrix of the same size.</summary>
    internal static void ReinitialiseLayer(string path, string tensor)
    {
        byte[] bytes = File.ReadAllBytes(path);
        long headerLength = BitConverter.ToInt64(bytes, 0);
        using var header = System.Text.Json.JsonDocument.Parse(bytes.AsMemory(8, (int)headerLength));
        var offsets = header.RootElement.GetProperty(tensor).GetProperty("data_offsets");
        long begin = 8 + headerLength + offsets[0].GetInt64(), end = 8 + headerLength + offsets[1].GetInt64();
        var random = new Random(17);
        for (long i = begin; i < end; i += 4)
            BitConverter.TryWriteBytes(bytes.AsSpan((int)i), (float)(random.NextDouble() - 0.5) * 0.2f);
        File.WriteAllBytes(path, bytes);
    }
}
