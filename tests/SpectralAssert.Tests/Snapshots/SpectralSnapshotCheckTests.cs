using SpectralGate.Engine.Baselines;
using SpectralGate.Engine.Runtime;
using SpectralGate.Engine.Snapshots;
using SpectralAssert.Snapshots;
using SpectralGate.Tests.Support;
using static SpectralGate.Tests.Support.TestSignatures;

namespace SpectralAssert.Tests.Snapshots;

[NonParallelizable] // sets the CI override and an environment variable
public class SpectralSnapshotCheckTests
{
    private string _folder = "";
    private SnapshotPaths _paths = null!;
    private string _obj = "";

    [SetUp]
    public void SetUp()
    {
        _folder = TestPaths.NewScratchFolder();
        _obj = Path.Combine(_folder, "obj");
        _paths = SnapshotPaths.For(_folder, "ModelTests", "Encoder", []);
        ContinuousIntegration.Override = false;
        Environment.SetEnvironmentVariable(SnapshotSettings.AutoAcceptVariable, null);
    }

    [TearDown]
    public void TearDown()
    {
        ContinuousIntegration.Override = null;
        Environment.SetEnvironmentVariable(SnapshotSettings.AutoAcceptVariable, null);
    }

    private static readonly SnapshotSettings Settings = new();

    [Test]
    public void FilesAreNamedLikeVerifys()
    {
        var paths = SnapshotPaths.For("/src/tests", "ModelTests", "Encoder", [3, "a b", 0.5]);

        Assert.Multiple(() =>
        {
            Assert.That(paths.Verified, Is.EqualTo("/src/tests/ModelTests.Encoder_3_a-b_0.5.spectral.verified.json"));
            Assert.That(paths.Received, Is.EqualTo("/src/tests/ModelTests.Encoder_3_a-b_0.5.spectral.received.json"));
            Assert.That(SnapshotPaths.VerifiedFor(paths.Received), Is.EqualTo(paths.Verified));
        });
    }

    [Test]
    public void AMissingBaselineFailsAndWritesTheReceivedFileAndTheMap()
    {
        string? failure = SpectralSnapshot.Check(Of(Layer("a", [8, 8], ("alpha", 3.0))), _paths, Settings, _obj);

        Assert.Multiple(() =>
        {
            Assert.That(failure, Does.Contain("No spectral baseline yet").And.Contain("spectralgate accept"));
            Assert.That(File.Exists(_paths.Received), Is.True);
            Assert.That(File.Exists(_paths.Verified), Is.False);
            Assert.That(ReceivedMap.Read(_obj), Is.EqualTo(new[] { (_paths.Received, _paths.Verified) }));
        });
    }

    [Test]
    public void AnAcceptedBaselineMatchesAndTheReceivedFileGoes()
    {
        var signature = Of(Layer("a", [8, 8], ("alpha", 3.0)));
        SpectralSnapshot.Check(signature, _paths, Settings, _obj);
        SnapshotAcceptance.Accept(_paths.Received);

        string? failure = SpectralSnapshot.Check(signature, _paths, Settings, _obj);

        Assert.Multiple(() =>
        {
            Assert.That(failure, Is.Null);
            Assert.That(File.Exists(_paths.Verified), Is.True);
            Assert.That(File.Exists(_paths.Received), Is.False);
            Assert.That(ReceivedMap.Read(_obj), Is.Empty);
        });
    }

    [Test]
    public void AChangeBeyondToleranceFailsWithATable()
    {
        BaselineFile.Write(_paths.Verified, Of(Layer("a", [8, 8], ("stable_rank", 2.0), ("alpha", 3.0))), new TolerancePolicy());

        string? failure = SpectralSnapshot.Check(Of(Layer("a", [8, 8], ("stable_rank", 3.0), ("alpha", 3.0))), _paths, Settings, _obj);

        Assert.That(failure, Does.Contain("stable_rank").And.Contain("+1").And.Contain("25.0x").And.Contain("\n    stable_rank ")
            .And.Contain("layer 'a': 1 metric beyond tolerance, worst stable_rank 2 -> 3, 25.0x over"), "the layer's first line, then its details");
        Assert.That(File.Exists(_paths.Received), Is.True);
    }

    [Test]
    public void AutoAcceptAcceptsLocally()
    {
        Environment.SetEnvironmentVariable(SnapshotSettings.AutoAcceptVariable, "1");

        string? failure = SpectralSnapshot.Check(Of(Layer("a", [8, 8], ("alpha", 3.0))), _paths, Settings, _obj);

        Assert.That(failure, Is.Null);
        Assert.That(File.Exists(_paths.Verified), Is.True);
    }

    [Test]
    public void AutoAcceptOfTheSameBytesAnotherProcessAcceptedFirstPasses()
    {
        var signature = Of(Layer("a", [8, 8], ("alpha", 3.0)));
        byte[] bytes = BaselineFile.ToBytes(SpectralGate.Engine.Signatures.PortableModelPath.RecordedIn(signature, _paths.Verified), Settings.Tolerances);
        File.WriteAllBytes(_paths.Verified, bytes); // the process next door won the race

        Assert.That(SnapshotAcceptance.Publish(_paths, bytes, replacingBaseline: false), Is.EqualTo(SnapshotPublication.AlreadyPublished));
        Assert.That(File.ReadAllBytes(_paths.Verified), Is.EqualTo(bytes));
    }

    [Test]
    public void AutoAcceptOfOtherBytesThanAnotherProcessAcceptedIsAConflictNamingBoth()
    {
        BaselineFile.Write(_paths.Verified, Of(Layer("a", [8, 8], ("alpha", 3.0))), new TolerancePolicy());
        byte[] theirs = File.ReadAllBytes(_paths.Verified);
        var mine = Of(Layer("a", [8, 8], ("alpha", 5.0)));
        byte[] bytes = BaselineFile.ToBytes(SpectralGate.Engine.Signatures.PortableModelPath.RecordedIn(mine, _paths.Verified), Settings.Tolerances);

        Assert.That(SnapshotAcceptance.Publish(_paths, bytes, replacingBaseline: false), Is.EqualTo(SnapshotPublication.Conflict));
        Assert.That(File.ReadAllBytes(_paths.Verified), Is.EqualTo(theirs), "the first process's baseline is kept");
    }

    [Test]
    public void AcceptingAReceivedFileAnotherProcessTookIsNotAnError()
    {
        var signature = Of(Layer("a", [8, 8], ("alpha", 3.0)));
        SpectralSnapshot.Check(signature, _paths, Settings, _obj);
        SnapshotAcceptance.Accept(_paths.Received); // the other process

        Assert.That(SnapshotAcceptance.Accept(_paths.Received), Is.Null);
        Assert.DoesNotThrow(() => SnapshotAcceptance.Reject(_paths.Received));
        Assert.That(File.Exists(_paths.Verified), Is.True);
    }

    [Test]
    public void AutoAcceptIsIgnoredOnCi()
    {
        Environment.SetEnvironmentVariable(SnapshotSettings.AutoAcceptVariable, "1");
        ContinuousIntegration.Override = true;

        string? failure = SpectralSnapshot.Check(Of(Layer("a", [8, 8], ("alpha", 3.0))), _paths, Settings, _obj);

        Assert.That(failure, Does.Contain("No spectral baseline yet"));
        Assert.That(File.Exists(_paths.Verified), Is.False);
    }

    [Test]
    public void ABrokenBaselineFailsWithTheFileNamed()
    {
        File.WriteAllText(_paths.Verified, "{ truncated");

        string? failure = SpectralSnapshot.Check(Of(Layer("a", [8, 8], ("alpha", 3.0))), _paths, Settings, _obj);

        Assert.That(failure, Does.Contain("cannot be read").And.Contain(_paths.Verified));
    }

    [Test]
    public void AcceptRefusesABrokenReceivedFileAndKeepsTheBaseline()
    {
        var good = Of(Layer("a", [8, 8], ("alpha", 3.0)));
        BaselineFile.Write(_paths.Verified, good, new TolerancePolicy());
        byte[] before = File.ReadAllBytes(_paths.Verified);
        File.WriteAllText(_paths.Received, "{\"format_version\": 1");

        Assert.Throws<SpectralGate.Engine.Errors.BaselineFormatException>(() => SnapshotAcceptance.Accept(_paths.Received));
        Assert.That(File.ReadAllBytes(_paths.Verified), Is.EqualTo(before));
    }

    [Test]
    public void TolerancesInForceAreRecordedInTheReceivedFile()
    {
        var settings = new SnapshotSettings { Tolerances = new TolerancePolicy().For("blocks.*", "alpha", 0.5, 0.1) };

        SpectralSnapshot.Check(Of(Layer("a", [8, 8], ("alpha", 3.0))), _paths, settings, _obj);

        var (_, rules) = BaselineFile.Read(_paths.Received);
        Assert.That(rules, Is.EqualTo(new[] { new ToleranceRule("blocks.*", "alpha", new Tolerance(0.5, 0.1)) }));
        Assert.That(File.ReadAllText(_paths.Received), Does.Contain("\"tolerances\"").And.Contain("\"defaults\""));
    }
}
