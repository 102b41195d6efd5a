using Microsoft.Build.Framework;
using SpectralGate.Build;
using SpectralGate.Tests.Support;
using TorchSharp;

namespace SpectralGate.Engine.Tests.Build;

public class TorchSharpCompatTests
{
    private const string Version = "GLIBCXX_3.4.32";

    private static string CopyOfPackagedLibrary()
    {
        string copy = Path.Combine(TestPaths.NewScratchFolder(), "libLibTorchSharp.so");
        File.Copy(TestPaths.TorchSharpNativeInPackage, copy);
        return copy;
    }

    [Test]
    public void PackagedLibraryRequiresTheVersionOnlyForAnUnrelocatedSymbol()
    {
        var need = ElfVersionNeeds.Read(TestPaths.TorchSharpNativeInPackage).Single(n => n.Version == Version);

        Assert.Multiple(() =>
        {
            Assert.That(need.Library, Is.EqualTo("libstdc++.so.6"));
            Assert.That(need.IsWeak, Is.False);
            Assert.That(need.Symbols, Is.EqualTo(new[] { "_ZSt21ios_base_library_initv" }));
            Assert.That(need.IsRelocated, Is.False);
        });
    }

    [Test]
    public void MakeWeakSetsOnlyTheWeakFlagOfThatEntry()
    {
        string copy = CopyOfPackagedLibrary();
        byte[] before = File.ReadAllBytes(copy);
        var need = ElfVersionNeeds.Read(copy).Single(n => n.Version == Version);

        bool changed = ElfVersionNeeds.MakeWeak(copy, Version);

        byte[] after = File.ReadAllBytes(copy);
        var differing = Enumerable.Range(0, before.Length).Where(i => before[i] != after[i]).ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(changed, Is.True);
            Assert.That(after, Has.Length.EqualTo(before.Length));
            Assert.That(differing, Is.EqualTo(new[] { need.FlagsOffset }), "only the low byte of vna_flags changes");
            Assert.That(after[need.FlagsOffset], Is.EqualTo(before[need.FlagsOffset] | ElfVersionNeeds.VerFlagWeak));
            Assert.That(ElfVersionNeeds.Read(copy).Single(n => n.Version == Version).IsWeak, Is.True);
            Assert.That(ElfVersionNeeds.Read(copy).Where(n => n.Version != Version).All(n => !n.IsWeak), Is.True);
        });
    }

    [Test]
    public void MakeWeakIsIdempotent()
    {
        string copy = CopyOfPackagedLibrary();
        ElfVersionNeeds.MakeWeak(copy, Version);
        byte[] once = File.ReadAllBytes(copy);

        bool changedAgain = ElfVersionNeeds.MakeWeak(copy, Version);

        Assert.That(changedAgain, Is.False);
        Assert.That(File.ReadAllBytes(copy), Is.EqualTo(once));
    }

    [Test]
    public void MakeWeakRefusesAVersionWhoseSymbolsAreRelocated()
    {
        string copy = CopyOfPackagedLibrary();
        var used = ElfVersionNeeds.Read(copy).First(n => n.IsRelocated && n.Version.StartsWith("GLIBCXX_", StringComparison.Ordinal));

        Assert.That(() => ElfVersionNeeds.MakeWeak(copy, used.Version), Throws.InvalidOperationException.With.Message.Contains("relocated"));
    }

    [Test]
    public void TaskPatchesWhenTheSystemLibraryLacksTheVersion()
    {
        string copy = CopyOfPackagedLibrary();
        string oldLibStdCxx = FakeLibStdCxx("GLIBCXX_3.4.29", "GLIBCXX_3.4.30");
        var task = new PatchTorchSharpForOldGlibcxx { Library = copy, SystemLibStdCxx = oldLibStdCxx, BuildEngine = new RecordingBuildEngine() };

        Assert.That(task.Execute(), Is.True);
        Assert.That(task.Patched, Is.True);
        Assert.That(ElfVersionNeeds.Read(copy).Single(n => n.Version == Version).IsWeak, Is.True);
    }

    [Test]
    public void TaskLeavesTheLibraryAloneWhenTheSystemHasTheVersion()
    {
        string copy = CopyOfPackagedLibrary();
        byte[] before = File.ReadAllBytes(copy);
        string newLibStdCxx = FakeLibStdCxx("GLIBCXX_3.4.30", "GLIBCXX_3.4.31", "GLIBCXX_3.4.32", "GLIBCXX_3.4.33");
        var task = new PatchTorchSharpForOldGlibcxx { Library = copy, SystemLibStdCxx = newLibStdCxx, BuildEngine = new RecordingBuildEngine() };

        Assert.That(task.Execute(), Is.True);
        Assert.That(task.Patched, Is.False);
        Assert.That(File.ReadAllBytes(copy), Is.EqualTo(before));
    }

    [Test]
    public void TaskWarnsInsteadOfFailingOnACorruptLibrary()
    {
        string corrupt = Path.Combine(TestPaths.NewScratchFolder(), "libLibTorchSharp.so");
        File.WriteAllBytes(corrupt, [0x7f, (byte)'E', (byte)'L', (byte)'F', 2, 1, 1, 0, 0, 0]);
        var engine = new RecordingBuildEngine();
        var task = new PatchTorchSharpForOldGlibcxx { Library = corrupt, SystemLibStdCxx = FakeLibStdCxx("GLIBCXX_3.4.30"), BuildEngine = engine };

        Assert.That(task.Execute(), Is.True);
        Assert.That(engine.Warnings.Single().Code, Is.EqualTo("SG9002"));
    }

    [Test]
    public void TheNuGetCacheIsNeverPatched()
    {
        Assert.That(ElfVersionNeeds.Read(TestPaths.TorchSharpNativeInPackage).Single(n => n.Version == Version).IsWeak, Is.False);
    }

    [Test]
    public void TheBuildPatchedTheOutputCopyAndTorchSharpLoads()
    {
        string output = Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        string? system = ElfVersionNeeds.FindSystemLibStdCxx();
        bool systemLacksVersion = system is not null && !ElfVersionNeeds.LibraryDefinesVersion(system, Version);

        using var x = torch.tensor(new double[] { 3, 0, 0, 4 }, [2, 2]);
        double[] singular = torch.linalg.svdvals(x).data<double>().ToArray();

        Assert.Multiple(() =>
        {
            Assert.That(ElfVersionNeeds.Read(output).Single(n => n.Version == Version).IsWeak, Is.EqualTo(systemLacksVersion));
            Assert.That(singular, Is.EqualTo(new[] { 4.0, 3.0 }).Within(1e-12));
        });
    }

    private static string FakeLibStdCxx(params string[] versions)
    {
        string path = Path.Combine(TestPaths.NewScratchFolder(), "libstdc++.so.6");
        var bytes = new List<byte> { 0x7f, (byte)'E', (byte)'L', (byte)'F', 0 };
        foreach (string v in versions) { bytes.AddRange(System.Text.Encoding.ASCII.GetBytes(v)); bytes.Add(0); }
        File.WriteAllBytes(path, bytes.ToArray());
        return path;
    }

    private sealed class RecordingBuildEngine : IBuildEngine
    {
        public List<BuildWarningEventArgs> Warnings { get; } = [];
        public bool ContinueOnError => false;
        public int LineNumberOfTaskNode => 0;
        public int ColumnNumberOfTaskNode => 0;
        public string ProjectFileOfTaskNode => "test.proj";
        public bool BuildProjectFile(string projectFileName, string[] targetNames, System.Collections.IDictionary globalProperties, System.Collections.IDictionary targetOutputs) => true;
        public void LogCustomEvent(CustomBuildEventArgs e) { }
        public void LogErrorEvent(BuildErrorEventArgs e) => throw new AssertionException($"unexpected build error: {e.Message}");
        public void LogMessageEvent(BuildMessageEventArgs e) { }
        public void LogWarningEvent(BuildWarningEventArgs e) => Warnings.Add(e);
    }
}
