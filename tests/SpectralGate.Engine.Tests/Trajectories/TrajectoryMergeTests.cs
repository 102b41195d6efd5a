using SpectralGate.Engine.Errors;
using SpectralGate.Engine.Trajectories;
using static SpectralGate.Engine.Tests.Trajectories.TestTrajectories;

namespace SpectralGate.Engine.Tests.Trajectories;

public class TrajectoryMergeTests
{
    [Test]
    public void ShardsOfOneSeriesJoinIntoTheUnionInStepOrder()
    {
        var merged = TrajectoryMerge.Merge([("a.json", Of(Record(10, 3), Record(1000, 2))), ("b.json", Of(Record(9, 4), Record(100, 2.5)))]);

        Assert.That(merged.Records.Select(r => r.Step), Is.EqualTo(new long[] { 9, 10, 100, 1000 }));
    }

    [Test]
    public void TheMergeDoesNotDependOnTheOrderOfItsInputs()
    {
        var a = Of(Record(10, 3, source: "run1/step-10.safetensors"), Record(20, 2));
        var b = Of(Record(10, 3, source: "run0/step-10.safetensors"), Record(30, 1));

        byte[] ab = TrajectoryJson.ToBytes(TrajectoryMerge.Merge([("a.json", a), ("b.json", b)]));
        byte[] ba = TrajectoryJson.ToBytes(TrajectoryMerge.Merge([("b.json", b), ("a.json", a)]));

        Assert.That(ab, Is.EqualTo(ba));
        Assert.That(TrajectoryMerge.Merge([("a.json", a), ("b.json", b)]).Records[0].Source, Is.EqualTo("run0/step-10.safetensors"), "the same record twice is kept once, under the ordinal-first source");
    }

    [Test]
    public void TheSameStepWithOtherContentsIsRefusedNamingTheStepAndBothFiles()
    {
        var e = Assert.Throws<BaselineFormatException>(() => TrajectoryMerge.Merge([("a.json", Of(Record(10, 3))), ("b.json", Of(Record(10, 3.5)))]));

        Assert.That(e!.Message, Does.StartWith("b.json: step 10 (full) is also in 'a.json' with different contents (layer 'layers.10.w' differs)"));
    }

    [Test]
    public void TheSameStepOfAnotherCheckpointIsRefusedNamingTheHashes()
    {
        var e = Assert.Throws<BaselineFormatException>(() => TrajectoryMerge.Merge([("a.json", Of(Record(10, 3, sha: new string('1', 64)))), ("b.json", Of(Record(10, 3, sha: new string('2', 64))))]));

        Assert.That(e!.Message, Does.Contain("step 10 (full)").And.Contain("checkpoint sha256 1111"));
    }

    [Test]
    public void ACheapAndAFullRecordOfOneStepAreNotAConflict()
    {
        var merged = TrajectoryMerge.Merge([("a.json", Of(Record(10, 3))), ("b.json", Of(Record(10, 9, tier: TrajectoryTiers.Cheap, source: "live")))]);

        Assert.That(merged.Records.Select(r => r.Tier), Is.EqualTo(new[] { "cheap", "full" }));
    }

    [Test]
    public void OtherSettingsAreRefusedNamingTheSetting()
    {
        var other = new Trajectory { Settings = Settings("float32"), Records = [Record(20, 3)] };

        var e = Assert.Throws<BaselineFormatException>(() => TrajectoryMerge.Merge([("a.json", Of(Record(10, 3))), ("b.json", other)]));

        Assert.That(e!.Message, Does.StartWith("b.json: was computed with other settings than 'a.json' (precision: 'float32' against 'float64')"));
    }
}
