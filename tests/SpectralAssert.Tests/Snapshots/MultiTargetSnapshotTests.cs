using System.Diagnostics;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using SpectralAssert.Assertions;
using SpectralAssert.Snapshots;
using SpectralGate.Engine.Baselines;
using SpectralGate.Engine.Runtime;
using SpectralGate.Engine.Snapshots;
using SpectralGate.MultiTarget.Tests;
using SpectralGate.Tests.Support;

namespace SpectralAssert.Tests.Snapshots;

/// <summary>
/// A test project multi-targeted to <c>net8.0;net10.0</c> (<c>tests/SpectralGate.MultiTarget.Tests</c>), copied to a
/// fresh folder with no baseline and run once with <c>dotnet test</c> and auto-accept, as a developer does: one test host
/// per framework, side by side over the same snapshot files, the net8.0 one on .NET 8 itself. Both pass, and each snapshot
/// ends as one verified file, the bytes one process alone writes. Builds and runs a project: a minute or two on top of the
/// solution's build.
/// </summary>
public class MultiTargetSnapshotTests
{
    private static readonly string[] Frameworks = [".NETCoreApp,Version=v8.0", ".NETCoreApp,Version=v10.0"];
    private const int TestsPerFramework = 3;

#if DEBUG
    private const string Configuration = "Debug";
#else
    private const string Configuration = "Release";
#endif

    [Test]
    public void BothFrameworksPassTheirFirstRunAndShareOneVerifiedFilePerSnapshot()
    {
        string project = CopyOfTheProject();
        string results = Path.Combine(project, "results");

        var (exitCode, output) = DotnetTest(project, results);
        foreach (string build in new[] { "bin", "obj" })
            if (Directory.Exists(Path.Combine(project, build))) Directory.Delete(Path.Combine(project, build), recursive: true);

        var runs = Directory.Exists(results) ? Directory.GetFiles(results, "*.trx").Select(TestRun.Read).ToList() : [];
        var snapshots = new Dictionary<string, Func<TorchSharp.torch.nn.Module>>
        {
            ["PerceptronSnapshotTests.TwoLayers"] = Perceptrons.TwoLayers,
            ["PerceptronSnapshotTests.Wide_24"] = () => Perceptrons.Wide(24),
            ["PerceptronSnapshotTests.Wide_40"] = () => Perceptrons.Wide(40),
        };
        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.Zero, output);
            Assert.That(runs.Select(r => r.Framework), Is.EquivalentTo(Frameworks), "one test run per framework");
            foreach (var run in runs)
            {
                Assert.That((run.Passed, run.Failed), Is.EqualTo((TestsPerFramework, 0)), run.Framework);
                Assert.That(run.RunsOnItsOwnRuntime, Is.True, $"{run.Framework} ran on {run.Runtime}");
            }

            Assert.That(Directory.GetFiles(project, "*" + SnapshotPaths.VerifiedSuffix).Select(Path.GetFileName),
                Is.EquivalentTo(snapshots.Keys.Select(name => name + SnapshotPaths.VerifiedSuffix)), "one verified file per snapshot");
            Assert.That(Directory.GetFiles(project, "*.received.json"), Is.Empty, "no received file left");
            Assert.That(Directory.GetFiles(project, "*.tmp"), Is.Empty, "no temporary file left");
            foreach (var (name, model) in snapshots)
            {
                string verified = Path.Combine(project, name + SnapshotPaths.VerifiedSuffix);
                if (!File.Exists(verified)) continue;
                byte[] bytes = File.ReadAllBytes(verified);
                Assert.That(() => BaselineFile.Parse(verified, bytes), Throws.Nothing, name);
                Assert.That(bytes, Is.EqualTo(AloneBytes(verified, model)), $"{name}: the bytes one process alone writes");
            }
        });
    }

    /// <summary>What a single process writes for the snapshot: the signature under default settings, as a baseline at that path.</summary>
    private static byte[] AloneBytes(string verified, Func<TorchSharp.torch.nn.Module> create)
    {
        using var model = create();
        var settings = new SnapshotSettings();
        return BaselineFile.BytesFor(verified, SignatureInputs.Resolve(model, settings.Signature), settings.Tolerances);
    }

    /// <summary>The project's sources in a new scratch folder under this test's output (inside the repository, so its build files apply; ignored by git).</summary>
    private static string CopyOfTheProject()
    {
        string source = Path.Combine(TestPaths.RepositoryRoot, "tests", "SpectralGate.MultiTarget.Tests");
        string copy = Path.Combine(TestPaths.NewScratchFolder(), "SpectralGate.MultiTarget.Tests");
        Directory.CreateDirectory(copy);
        foreach (string file in Directory.GetFiles(source, "*.cs").Append(Path.Combine(source, "SpectralGate.MultiTarget.Tests.csproj")))
            File.Copy(file, Path.Combine(copy, Path.GetFileName(file)));
        return copy;
    }

    /// <summary><c>dotnet test</c> as on a developer's machine: no CI variables (auto-accept is never on CI), auto-accept on.</summary>
    private static (int ExitCode, string Output) DotnetTest(string project, string results)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = project, RedirectStandardOutput = true, RedirectStandardError = true };
        // Hard links instead of two copies of libtorch (500 MB each); the old-glibc patch replaces its file, never writes through.
        foreach (string arg in new[] { "test", "-c", Configuration, "--logger", "trx", "--results-directory", results, "-p:CreateHardLinksForCopyFilesToOutputDirectoryIfPossible=true" })
            start.ArgumentList.Add(arg);
        foreach (string name in ContinuousIntegration.VariableNames) start.Environment.Remove(name);
        start.Environment[SnapshotSettings.AutoAcceptVariable] = "1";
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(10)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail("dotnet test of the multi-targeted project did not finish in 10 minutes:\n" + stdout.Result);
        }
        return (process.ExitCode, stdout.Result + stderr.Result);
    }

    /// <summary>One framework's TRX log: its counts, and the framework and runtime its tests reported (".NETCoreApp,Version=v8.0 on .NET 8.0.31").</summary>
    private sealed record TestRun(string Framework, string Runtime, int Passed, int Failed)
    {
        public static TestRun Read(string trx)
        {
            var document = XDocument.Load(trx);
            var counters = document.Descendants().Single(e => e.Name.LocalName == "Counters");
            var reports = document.Descendants().Where(e => e.Name.LocalName == "StdOut")
                .SelectMany(e => e.Value.Split('\n')).Select(l => Regex.Match(l, @"^target (\S+); runtime (.+?)\s*$")).Where(m => m.Success)
                .Select(m => (Framework: m.Groups[1].Value, Runtime: m.Groups[2].Value)).Distinct().ToList();
            var (framework, runtime) = reports.Count == 1 ? reports[0] : ($"{trx}: [{string.Join(", ", reports)}]", "");
            return new TestRun(framework, runtime, (int)counters.Attribute("passed")!, (int)counters.Attribute("failed")! + (int)counters.Attribute("error")!);
        }

        /// <summary>The runtime is the framework's own (.NET 8 for net8.0), not a newer one rolled forward to.</summary>
        public bool RunsOnItsOwnRuntime => Framework.Split("Version=v") is [_, string version] && Runtime.StartsWith($".NET {version}.", StringComparison.Ordinal);
    }
}
