using System.Diagnostics;
using System.Reflection;
using SpectralGate.Engine.Trajectories;
using static SpectralGate.Tests.Support.BaselineTrajectories;

namespace SpectralGate.Tasks.Tests;

/// <summary>
/// The gate on training dynamics as users meet it: a project (samples/CheckpointGate's, with its model item replaced
/// by a trajectory JSON) restoring the packed SpectralGate.Tasks, and `dotnet build` runs against a run that lacks a
/// baseline, gets accepted, matches, drifts at one step, loses a step, and is accepted on CI without force.
/// </summary>
[Category("EndToEnd")]
[NonParallelizable]
public class TrajectoryGateEndToEndTests
{
    private static readonly long[] Steps = [0, 10, 100, 1000];

    private static string RepositoryRoot =>
        typeof(TrajectoryGateEndToEndTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "RepositoryRoot").Value!;

    private string _project = "";
    private string _packages = "";
    private string _version = "";
    private ScratchFolder _scratch = null!;

    private string RunPath => Path.Combine(_project, "runs", "train.trajectory.json");

    [OneTimeSetUp]
    public void CreateTheProject()
    {
        _scratch = ScratchFolder.Create("sg-e2e-trajectory");
        _packages = Path.Combine(_scratch.Path, "packages");
        _project = Path.Combine(_scratch.Path, "TrainingGate");
        _version = LocalToolFeed.Version;

        string sample = Path.Combine(RepositoryRoot, "samples", "CheckpointGate");
        Directory.CreateDirectory(Path.Combine(_project, "runs"));
        foreach (string file in new[] { "Marker.cs", "Directory.Build.props", "Directory.Build.targets" })
            File.Copy(Path.Combine(sample, file), Path.Combine(_project, file));
        string csproj = File.ReadAllText(Path.Combine(sample, "CheckpointGate.csproj"));
        string item = "<SpectralModel Include=\"models/bars-cnn.safetensors\" Baseline=\"baselines/bars-cnn.spectral.json\" Tolerances=\"alpha=0.2,0.05\" />";
        Assert.That(csproj, Does.Contain(item), "the sample's model item, replaced below");
        File.WriteAllText(Path.Combine(_project, "TrainingGate.csproj"),
            csproj.Replace(item, "<SpectralModel Include=\"runs/train.trajectory.json\" Baseline=\"baselines/train.trajectory.spectral.json\" />"));
        File.WriteAllText(Path.Combine(_project, "nuget.config"), LocalToolFeed.NuGetConfig);
    }

    [OneTimeTearDown]
    public void RemoveTheScratch() => _scratch.Dispose();

    private (int ExitCode, string Output) Build(bool onCi, params string[] extra)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = _project, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string a in new[] { "build", "-nodeReuse:false", "-v:n", $"-p:SpectralGateTasksVersion={_version}",
                     $"-p:SpectralGateCliPath={Path.Combine(AppContext.BaseDirectory, "spectralgate.dll")}" }.Concat(extra))
            start.ArgumentList.Add(a);
        foreach (string ci in new[] { "CI", "GITHUB_ACTIONS", "TF_BUILD", "ContinuousIntegrationBuild" }) start.Environment.Remove(ci);
        if (onCi) start.Environment["CI"] = "true";
        start.Environment["NUGET_PACKAGES"] = _packages;
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(180_000)) { process.Kill(true); Assert.Fail("dotnet build timed out"); }
        return (process.ExitCode, output.Result + error.Result);
    }

    private void Record(Trajectory run) => TrajectoryJson.Write(RunPath, run);

    private static Trajectory TwoLayers(long[] steps, Func<string, long, double> alpha) =>
        Run(steps, ["fc1.weight", "fc2.weight"], (l, s) => [("alpha", alpha(l, s)), ("stable_rank", 2.0)]);

    [Test]
    public void TheTrajectoryGateFailsOnAMissingBaselineAcceptsMatchesAndCatchesDriftAndAMissingStep()
    {
        string baseline = Path.Combine(_project, "baselines", "train.trajectory.spectral.json");
        Record(TwoLayers(Steps, (_, s) => 30.0 / (1 + s)));

        var missing = Build(onCi: false);
        var refusedOnCi = Build(onCi: true, "-p:SpectralGateAccept=true");
        bool writtenOnCi = File.Exists(baseline);
        var accept = Build(onCi: false, "-p:SpectralGateAccept=true");
        var unchanged = Build(onCi: false);
        Record(TwoLayers(Steps, (l, s) => l == "fc2.weight" && s >= 100 ? 2.0 : 30.0 / (1 + s)));
        var drifted = Build(onCi: false);
        Record(TwoLayers([0, 10, 100], (_, s) => 30.0 / (1 + s)));
        var cutShort = Build(onCi: false);

        string[] lines = File.ReadAllLines(baseline);
        int fc2AtStep100 = Enumerable.Range(0, lines.Length).First(i => lines[i].Trim() == "\"step\": 100,"
            && lines.Take(i).Last(l => l.Contains("\"name\": ")).Contains("\"name\": \"fc2.weight\"")) + 1;
        int fc2Line = Enumerable.Range(0, fc2AtStep100).Last(i => lines[i].Contains("\"name\": \"fc2.weight\"")) + 1;
        int step1000 = Array.FindIndex(lines, l => l.Trim() == "\"step\": 1000,") + 1;

        Assert.Multiple(() =>
        {
            Assert.That(missing.ExitCode, Is.Not.EqualTo(0));
            Assert.That(missing.Output, Does.Contain("error SG1003").And.Contain("no trajectory baseline"));
            Assert.That(refusedOnCi.ExitCode, Is.Not.EqualTo(0));
            Assert.That(refusedOnCi.Output, Does.Contain("error SG1013").And.Contain("-p:SpectralGateForceAccept=true"));
            Assert.That(writtenOnCi, Is.False);
            Assert.That(accept.ExitCode, Is.EqualTo(0), accept.Output);
            Assert.That(File.Exists(baseline), Is.True);
            Assert.That(unchanged.ExitCode, Is.EqualTo(0), unchanged.Output);
            Assert.That(unchanged.Output, Does.Contain("matches"));
            Assert.That(drifted.ExitCode, Is.Not.EqualTo(0));
            Assert.That(drifted.Output, Does.Contain($"{baseline}({fc2Line},"));
            Assert.That(drifted.Output, Does.Contain("error SG1001: layer 'fc2.weight' alpha outside the baseline's band at 2 steps, first at step 100"));
            Assert.That(cutShort.ExitCode, Is.Not.EqualTo(0));
            Assert.That(cutShort.Output, Does.Contain($"{baseline}({step1000},").And.Contain("error SG1002: step 1000: baseline step 1000 is not recorded in this run"));
        });
    }
}
