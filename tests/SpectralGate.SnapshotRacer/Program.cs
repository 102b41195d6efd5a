using SpectralAssert.Snapshots;
using SpectralGate.Engine.Baselines;
using SpectralGate.Engine.Matrices;
using SpectralGate.Engine.Runtime;
using SpectralGate.Engine.Signatures;
using SpectralGate.Engine.Snapshots;

// One of N processes that walk the same snapshot files through every writer's path in lockstep (a file barrier
// between phases): missing baseline + auto-accept, regression + received file, accept, reject, and the gate's
// `check --accept`. After each phase it checks that every snapshot file present is a whole baseline and, where the
// outcome is determined, that the verified file holds the expected bytes. Prints "ok" or the first problem; an
// exception escapes as a crash, which is what the test counts.
if (args.Length != 4)
{
    Console.Error.WriteLine("usage: SpectralGate.SnapshotRacer FOLDER INDEX PROCESSES ROUNDS");
    return 64;
}
string folder = args[0];
int index = int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture);
int processes = int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture);
int rounds = int.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture);

ContinuousIntegration.Override = false;
var paths = SnapshotPaths.For(folder, "MlpTests", "Snapshot", []);
string obj = Path.Combine(folder, "obj", index.ToString(System.Globalization.CultureInfo.InvariantCulture));
var settings = new SnapshotSettings();
SpectralSignature a = Signature(2.0), b = Signature(9.0);
byte[] bytesA = BaselineFile.ToBytes(PortableModelPath.RecordedIn(a, paths.Verified), settings.Tolerances);
byte[] bytesB = BaselineFile.ToBytes(PortableModelPath.RecordedIn(b, paths.Verified), settings.Tolerances);
var barrier = new FileBarrier(Path.Combine(folder, "barrier"), index, processes);

for (int round = 0; round < rounds; round++)
{
    string? problem;
    try
    {
        problem = Round(round);
    }
    catch
    {
        barrier.Abandon(); // the others stop at their next phase instead of waiting out the limit
        throw;
    }
    if (problem is not null)
    {
        Console.Out.WriteLine($"round {round}: {problem}");
        barrier.Abandon();
        return 1;
    }
}
Console.Out.WriteLine("ok");
return 0;

string? Round(int round)
{
    // Missing baseline, auto-accept: every process passes and the verified file is the one signature.
    barrier.Wait($"{round}-clear");
    if (index == 0) { File.Delete(paths.Verified); File.Delete(paths.Received); }
    barrier.Wait($"{round}-auto");
    Environment.SetEnvironmentVariable(SnapshotSettings.AutoAcceptVariable, "1");
    UsedSnapshotLedger.Record(obj, paths.Verified);
    if (SpectralSnapshot.Check(a, paths, settings, obj) is { } failure) return "auto-accept failed: " + failure;
    Environment.SetEnvironmentVariable(SnapshotSettings.AutoAcceptVariable, null);
    if (Problem(bytesA) is { } p1) return p1;

    // Regression: every process fails with the table and leaves a whole received file.
    barrier.Wait($"{round}-regress");
    if (SpectralSnapshot.Check(b, paths, settings, obj) is not { } regression || !regression.Contains("differs", StringComparison.Ordinal))
        return "a regression passed";
    if (Problem(bytesA) is { } p2) return p2;

    // Accept from the command line, in every process at once: one promotes it, the others find it taken.
    barrier.Wait($"{round}-accept");
    SnapshotAcceptance.Accept(paths.Received);
    if (Problem(bytesB) is { } p3) return p3;
    if (File.Exists(paths.Received)) return "the received file survived its acceptance";

    // A regression again, then reject in every process at once.
    barrier.Wait($"{round}-regress-again");
    SpectralSnapshot.Check(a, paths, settings, obj);
    barrier.Wait($"{round}-reject");
    SnapshotAcceptance.Reject(paths.Received);
    if (Problem(bytesB) is { } p4) return p4;

    // The gate's check --accept (and SpectralGateAccept) rewriting the baseline in every process at once.
    barrier.Wait($"{round}-gate-accept");
    BaselineFile.Write(paths.Verified, a, settings.Tolerances);
    barrier.Wait($"{round}-gate-accepted");
    return Problem(bytesA);
}

// Whatever files exist are whole baselines; the verified one holds the expected bytes.
string? Problem(byte[] expectedVerified)
{
    foreach (string file in new[] { paths.Verified, paths.Received })
    {
        byte[] bytes;
        try { bytes = File.ReadAllBytes(file); }
        catch (FileNotFoundException) { continue; }
        try { BaselineFile.Parse(file, bytes); }
        catch (SpectralGate.Engine.Errors.BaselineFormatException e) { return "a torn or broken file: " + e.Message; }
        if (file == paths.Verified && !bytes.AsSpan().SequenceEqual(expectedVerified)) return "the verified file holds other bytes than every process accepted";
    }
    return File.Exists(paths.Verified) ? null : "the verified file is missing";
}

static SpectralSignature Signature(double stableRank) => new()
{
    Model = new ModelInfo("model.safetensors", "safetensors", new string('0', 64), 64),
    Settings = new SortedDictionary<string, string>(StringComparer.Ordinal) { ["precision"] = "float64" },
    Layers =
    [
        new LayerSignature
        {
            Name = "fc1.weight", Shape = [8, 8], Kind = LayerKind.Linear, Labels = [],
            Metrics = new SortedDictionary<string, double?>(StringComparer.Ordinal) { ["alpha"] = 3.0, ["stable_rank"] = stableRank },
        },
    ],
    Skipped = [],
};

/// <summary>All processes meet at each named phase: each drops a file and waits until all are there.</summary>
sealed class FileBarrier(string folder, int index, int processes)
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);

    public void Wait(string phase)
    {
        string dir = Path.Combine(folder, phase);
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, index.ToString(System.Globalization.CultureInfo.InvariantCulture)), "");
        var started = DateTime.UtcNow;
        while (Directory.GetFiles(dir).Length < processes)
        {
            if (File.Exists(Path.Combine(folder, "abandoned"))) throw new OperationCanceledException("another process failed");
            if (DateTime.UtcNow - started > Limit) throw new TimeoutException($"phase {phase}: the other processes did not arrive in {Limit.TotalSeconds} s");
            Thread.Sleep(2);
        }
    }

    public void Abandon() => File.WriteAllText(Path.Combine(folder, "abandoned"), "");
}
