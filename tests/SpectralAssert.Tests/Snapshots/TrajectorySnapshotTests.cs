using SpectralAssert.Snapshots;
using SpectralGate.Engine.Baselines;
using SpectralGate.Engine.Runtime;
using SpectralGate.Engine.Snapshots;
using SpectralGate.Tests.Support;
using static SpectralGate.Tests.Support.BaselineTrajectories;

namespace SpectralAssert.Tests.Snapshots;

[NonParallelizable] // sets the CI override and an environment variable
public class TrajectorySnapshotTests
{
    private static readonly long[] Steps = [0, 10, 100, 1000];
    private static readonly SnapshotSettings Settings = new();
    private string _folder = "";
    private string _obj = "";
    private SnapshotPaths _paths = null!;

    [SetUp]
    public void SetUp()
    {
        _folder = TestPaths.NewScratchFolder();
        _obj = Path.Combine(_folder, "obj");
        _paths = SnapshotPaths.ForTrajectory(_folder, "TrainingTests", "Dynamics", []);
        ContinuousIntegration.Override = false;
        Environment.SetEnvironmentVariable(SnapshotSettings.AutoAcceptVariable, null);
    }

    [TearDown]
    public void TearDown()
    {
        ContinuousIntegration.Override = null;
        Environment.SetEnvironmentVariable(SnapshotSettings.AutoAcceptVariable, null);
    }

    [Test]
    public void FilesAreNamedTrajectoryVerifiedAndReceived()
    {
        var paths = SnapshotPaths.ForTrajectory("/src/tests", "TrainingTests", "Dynamics", [3]);

        Assert.Multiple(() =>
        {
            Assert.That(paths.Verified, Is.EqualTo("/src/tests/TrainingTests.Dynamics_3.trajectory.verified.json"));
            Assert.That(paths.Received, Is.EqualTo("/src/tests/TrainingTests.Dynamics_3.trajectory.received.json"));
            Assert.That(SnapshotPaths.VerifiedFor(paths.Received), Is.EqualTo(paths.Verified));
        });
    }

    [Test]
    public void TheFirstRunFailsWritingTheReceivedTrajectoryAndAcceptingItMakesTheNextPass()
    {
        var run = Alpha(Steps, s => 30.0 / (1 + s));

        string? first = TrajectorySnapshot.Check(run, _paths, Settings, _obj);
        var found = SnapshotAcceptance.FindReceived(_folder);
        SnapshotAcceptance.Accept(found.Single());
        string? second = TrajectorySnapshot.Check(run, _paths, Settings, _obj);

        Assert.Multiple(() =>
        {
            Assert.That(first, Does.Contain("No trajectory baseline yet").And.Contain("4 records, 1 layers").And.Contain("spectralgate accept"));
            Assert.That(found.Single(), Is.EqualTo(_paths.Received));
            Assert.That(second, Is.Null);
            Assert.That(File.Exists(_paths.Received), Is.False);
            Assert.That(ReceivedMap.Read(_obj), Is.Empty);
        });
    }

    [Test]
    public void ADynamicsRegressionFailsWithATableNamingLayerMetricAndFirstStep()
    {
        TrajectoryBaselineFile.Write(_paths.Verified, TrajectoryBaseline.Of(Alpha(Steps, _ => 3.0)), new TolerancePolicy());
        string verified = File.ReadAllText(_paths.Verified);

        string? failure = TrajectorySnapshot.Check(Alpha(Steps, s => s >= 100 ? 3.5 : 3.0), _paths, Settings, _obj);

        Assert.That(failure, Is.Not.Null);
        Assert.Multiple(() =>
        {
            Assert.That(failure, Does.Contain("1 of 2 series moved outside their band at 2 of 8 points"));
            Assert.That(failure, Does.Contain("layer 'fc1.weight' alpha outside the baseline's band at 2 steps, first at step 100: baseline 3, actual 3.5, accepted [2.75, 3.25]"));
            Assert.That(failure, Does.Contain("step  baseline  actual").And.Contain("1000"));
            Assert.That(failure, Does.Contain($"Received: {_paths.Received}"));
            Assert.That(File.ReadAllText(_paths.Verified), Is.EqualTo(verified), "the baseline is never touched");
        });
    }

    [Test]
    public void AutoAcceptAcceptsLocallyButNeverOnCi()
    {
        TrajectoryBaselineFile.Write(_paths.Verified, TrajectoryBaseline.Of(Alpha(Steps, _ => 3.0)), new TolerancePolicy());
        var changed = Alpha(Steps, _ => 4.0);
        Environment.SetEnvironmentVariable(SnapshotSettings.AutoAcceptVariable, "1");

        ContinuousIntegration.Override = true;
        string? onCi = TrajectorySnapshot.Check(changed, _paths, Settings, _obj);
        ContinuousIntegration.Override = false;
        string? locally = TrajectorySnapshot.Check(changed, _paths, Settings, _obj);

        Assert.Multiple(() =>
        {
            Assert.That(onCi, Does.Contain("Trajectory differs"));
            Assert.That(locally, Is.Null);
            Assert.That(TrajectorySnapshot.Check(changed, _paths, Settings, _obj), Is.Null, "accepted: the changed run is the baseline now");
        });
    }

    [Test]
    public void AMultiSeedBaselineSaysAcceptingReplacesItsBand()
    {
        double[] seedValues = [3.0, 3.1, 3.2];
        var baseline = TrajectoryBands.FromSeeds(seedValues.Select(v => Alpha(Steps, _ => v)).ToList());
        TrajectoryBaselineFile.Write(_paths.Verified, baseline, new TolerancePolicy());

        string? within = TrajectorySnapshot.Check(Alpha(Steps, _ => 3.15), _paths, Settings, _obj);
        string? beyond = TrajectorySnapshot.Check(Alpha(Steps, _ => 3.6), _paths, Settings, _obj);

        Assert.That(within, Is.Null);
        Assert.That(beyond, Does.Contain("envelope band of 3 seeds; accepting the received run replaces it"));
    }

    [Test]
    public void RejectDeletesAReceivedTrajectory()
    {
        TrajectorySnapshot.Check(Alpha(Steps, _ => 3.0), _paths, Settings, _obj);

        SnapshotAcceptance.Reject(_paths.Received);

        Assert.That(File.Exists(_paths.Received), Is.False);
    }

    [Test]
    public void AcceptRefusesABrokenReceivedTrajectory()
    {
        File.WriteAllText(_paths.Received, "{\"records\": 3}");

        Assert.That(() => SnapshotAcceptance.Accept(_paths.Received), Throws.InstanceOf<SpectralGate.Engine.Errors.BaselineFormatException>());
        Assert.That(File.Exists(_paths.Verified), Is.False);
    }
}
