using System.Diagnostics;
using SpectralGate.Tests.Support;

namespace SpectralAssert.Tests.Snapshots;

/// <summary>
/// Eight processes over one set of snapshot files, in lockstep through 50 rounds of every writer's path (missing
/// baseline + auto-accept, regression + received, accept, reject, the gate's accept): no process crashes, every file
/// present is a whole baseline, and the verified bytes end as one process alone leaves them. Before accepting went
/// through whole-byte publication, about one process in forty crashed on a received file another had just promoted.
/// </summary>
public class SnapshotConcurrencyTests
{
    private const int Processes = 8;
    private const int Rounds = 50;

    [Test]
    public void EightProcessesShareOneSnapshotWithoutCrashOrLoss()
    {
        string alone = TestPaths.NewScratchFolder(), together = TestPaths.NewScratchFolder();
        Assert.That(Run(Start(alone, 0, 1, 1)), Is.EqualTo((0, "ok")), "one process alone");

        var racers = Enumerable.Range(0, Processes).Select(i => Start(together, i, Processes, Rounds)).ToList();
        var results = racers.Select(Run).ToList();

        Assert.Multiple(() =>
        {
            for (int i = 0; i < Processes; i++) Assert.That(results[i], Is.EqualTo((0, "ok")), $"process {i}");
            string name = "MlpTests.Snapshot.spectral.verified.json";
            Assert.That(File.ReadAllBytes(Path.Combine(together, name)), Is.EqualTo(File.ReadAllBytes(Path.Combine(alone, name))));
            Assert.That(Directory.GetFiles(together, "*.tmp"), Is.Empty, "no temporary file left behind");
        });
    }

    private static Process Start(string folder, int index, int processes, int rounds)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "SpectralGate.SnapshotRacer.dll"));
        foreach (object arg in new object[] { folder, index, processes, rounds }) start.ArgumentList.Add(arg.ToString()!);
        return Process.Start(start)!;
    }

    private static (int ExitCode, string Output) Run(Process process)
    {
        using (process)
        {
            Task<string> stderr = process.StandardError.ReadToEndAsync();
            string output = process.StandardOutput.ReadToEnd().Trim();
            if (!process.WaitForExit(TimeSpan.FromMinutes(4)))
            {
                process.Kill(entireProcessTree: true);
                return (-1, "timed out: " + output);
            }
            string errors = stderr.GetAwaiter().GetResult().Trim();
            return (process.ExitCode, errors.Length == 0 ? output : output + "\n" + errors);
        }
    }
}
