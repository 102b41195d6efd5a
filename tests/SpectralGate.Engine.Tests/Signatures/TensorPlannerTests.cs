using SpectralGate.Engine.Signatures;
using SpectralGate.Engine.Sources;
using SpectralGate.Engine.Tests.Sources;

namespace SpectralGate.Engine.Tests.Signatures;

/// <summary>The plan stage alone: which tensors are analysed, and the typed reason and text of each that is not.</summary>
public class TensorPlannerTests
{
    private static TensorSkip? Skip(TensorEntry entry, TensorSelection? selection = null) =>
        new TensorPlanner([entry], selection ?? new TensorSelection(), shard: null).Skip(entry);

    [Test]
    public void AMatrixWithBothSidesAtTheMinimumIsAnalysed() =>
        Assert.That(Skip(new InMemoryEntry("fc.weight", [8, 8])), Is.Null);

    [TestCase(new long[0], SkipKind.NotAMatrix, "scalar")]
    [TestCase(new long[] { 16 }, SkipKind.NotAMatrix, "1-D tensor")]
    [TestCase(new long[] { 16, 0 }, SkipKind.Empty, "empty tensor")]
    [TestCase(new long[] { 16, 7 }, SkipKind.TooSmall, "smaller side 7 is below the minimum 8")]
    public void WhatIsNoMatrixWorthASpectrumIsSkippedAndListed(long[] shape, SkipKind kind, string text)
    {
        TensorSkip? skip = Skip(new InMemoryEntry("t", shape));

        Assert.That(skip, Is.EqualTo(new TensorSkip(kind, text)));
        Assert.That(skip!.IsListed, Is.True);
    }

    [Test]
    public void AnIntegerTensorIsSkippedWithItsStoredType() =>
        Assert.That(Skip(new InMemoryEntry("ids", [16, 16], dtype: TensorDType.Unsupported, storedDType: "I32")),
            Is.EqualTo(new TensorSkip(SkipKind.NotFloatingPoint, "dtype I32 is not a floating type")));

    [Test]
    public void AThreeDimensionalTensorOfNoKnownLayoutIsSkippedNotGuessed()
    {
        TensorSkip? skip = Skip(new InMemoryEntry("blocks.0.mystery", [16, 16, 64]));

        Assert.That(skip!.Kind, Is.EqualTo(SkipKind.UnknownLayout));
        Assert.That(skip.IsListed, Is.True);
    }

    [Test]
    public void TensorsTheSelectionLeavesOutAreSkippedUnlisted()
    {
        var selection = new TensorSelection { Include = ["encoder.**"], Exclude = ["encoder.head.*"] };

        TensorSkip? outside = Skip(new InMemoryEntry("decoder.fc.weight", [16, 16]), selection);
        TensorSkip? excluded = Skip(new InMemoryEntry("encoder.head.weight", [16, 16]), selection);

        Assert.That(outside, Is.EqualTo(new TensorSkip(SkipKind.NotIncluded, "not included")));
        Assert.That(excluded, Is.EqualTo(new TensorSkip(SkipKind.Excluded, "excluded")));
        Assert.That(outside!.IsListed || excluded!.IsListed, Is.False);
        Assert.That(Skip(new InMemoryEntry("encoder.fc.weight", [16, 16]), selection), Is.Null);
    }

    [Test]
    public void EveryTensorIsAnalysedInExactlyOneShard()
    {
        TensorEntry[] tensors = Enumerable.Range(0, 7).Select(i => (TensorEntry)new InMemoryEntry($"layers.{i}.weight", [16 * (i + 1), 16])).ToArray();
        var planners = Enumerable.Range(1, 3).Select(s => new TensorPlanner(tensors, new TensorSelection(), new ShardSpec(s, 3))).ToArray();

        foreach (TensorEntry t in tensors)
        {
            var skips = planners.Select(p => p.Skip(t)).ToArray();
            Assert.That(skips.Count(s => s is null), Is.EqualTo(1), t.Name);
            Assert.That(skips.Where(s => s is not null).Select(s => (s!.Kind, s.IsListed)), Is.All.EqualTo((SkipKind.OtherShard, false)), t.Name);
        }
        Assert.That(planners.All(p => p.IsSharded), Is.True);
    }
}
