using SpectralGate.Engine.Snapshots;
using SpectralGate.Tests.Support;

namespace SpectralGate.Engine.Tests.Snapshots;

/// <summary>Orphans: verified snapshots that the newest run ledger of no test project lists.</summary>
public class SnapshotOrphansTests
{
    private static string Touch(string root, string relative)
    {
        string path = Path.Combine(root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, "{}");
        return Path.GetFullPath(path);
    }

    private static void Ledger(string root, string project, string run, params string[] used)
    {
        string folder = Path.Combine(root, project, "obj", UsedSnapshotLedger.FolderName);
        Directory.CreateDirectory(folder);
        File.WriteAllLines(Path.Combine(folder, run + ".txt"), used);
    }

    [Test]
    public void AVerifiedFileThatTheNewestRunDidNotUseIsAnOrphan()
    {
        string root = TestPaths.NewScratchFolder();
        string a = Touch(root, "Tests/A.Method.spectral.verified.json");
        string b = Touch(root, "Tests/B.Method.spectral.verified.json");
        string c = Touch(root, "Other/C.Method.spectral.verified.json");
        Touch(root, "Tests/bin/Debug/A.Method.spectral.verified.json"); // a build output copy, not a baseline
        Ledger(root, "Tests", "20261201T100000000-1", a, b);
        Ledger(root, "Tests", "20261202T100000000-2", a); // B's test was deleted since
        Ledger(root, "Other", "20261202T090000000-7", c);

        var orphans = SnapshotOrphans.Find(root);

        Assert.That(orphans, Is.EqualTo(new[] { b }));
    }

    [Test]
    public void AnUnusedTrajectorySnapshotIsAnOrphanToo()
    {
        string root = TestPaths.NewScratchFolder();
        string used = Touch(root, "Tests/A.Method.trajectory.verified.json");
        string unused = Touch(root, "Tests/B.Method.trajectory.verified.json");
        Ledger(root, "Tests", "20261202T100000000-2", used);

        Assert.That(SnapshotOrphans.Find(root), Is.EqualTo(new[] { unused }));
    }

    [Test]
    public void WithNoLedgerThereIsNoRunToJudgeBy()
    {
        string root = TestPaths.NewScratchFolder();
        Touch(root, "Tests/A.Method.spectral.verified.json");

        var error = Assert.Throws<ArgumentException>(() => SnapshotOrphans.Find(root));

        Assert.That(error!.Message, Does.Contain("run the tests first"));
    }

    [Test]
    public void RecordingTwiceKeepsOneSortedEntryPerFile()
    {
        string intermediate = TestPaths.NewScratchFolder();
        string z = Path.Combine(intermediate, "Z.M.spectral.verified.json"), y = Path.Combine(intermediate, "Y.M.spectral.verified.json");

        UsedSnapshotLedger.Record(intermediate, z);
        UsedSnapshotLedger.Record(intermediate, y);
        UsedSnapshotLedger.Record(intermediate, z);

        Assert.That(UsedSnapshotLedger.NewestRun(Path.Combine(intermediate, UsedSnapshotLedger.FolderName)), Is.EqualTo(new[] { Path.GetFullPath(y), Path.GetFullPath(z) }));
    }
}
