using NUnit.Framework.Constraints;
using NUnit.Framework.Internal;
using SpectralAssert.Assertions;
using SpectralGate.Engine.Matrices;
using SpectralGate.Engine.Signatures;
using static SpectralGate.Tests.Support.TestSignatures;

namespace SpectralAssert.Tests.Assertions;

public class SpectrumConstraintTests
{
    private static readonly SpectralSignature Model = Of(
        Layer("blocks.0.fc1.weight", [64, 32], ("alpha", 3.0), ("stable_rank", 5.0)),
        Layer("blocks.1.fc1.weight", [64, 32], ("alpha", 7.5), ("stable_rank", 4.0)),
        Layer("blocks.1.fc2.weight", [32, 64], ("alpha", 2.5), ("stable_rank", 6.0)),
        Layer("head.weight", [10, 32], ("alpha", null), ("stable_rank", 2.0)));

    private static string Message(ConstraintResult result)
    {
        var writer = new TextMessageWriter();
        result.WriteMessageTo(writer);
        return writer.ToString();
    }

    [Test]
    public void APassingBoundPasses()
    {
        Assert.That(Model, Spectrum.Layers("blocks.*.fc2.weight").Alpha.InRange(2, 6));
    }

    [Test]
    public void AFailureListsEachOffendingLayerWithItsValueAndBoundAndCountsThePasses()
    {
        var result = Spectrum.Layers("blocks.*.fc1.weight").Alpha.InRange(2, 6).ApplyTo(Model);

        Assert.That(result.IsSuccess, Is.False);
        Assert.That(Message(result), Does.Contain("1 of 2 selected layers fail (1 pass)")
            .And.Contain("blocks.1.fc1.weight  alpha = 7.5  (expected in [2, 6])")
            .And.Not.Contain("blocks.0.fc1.weight"));
    }

    [Test]
    public void ASelectionThatMatchesNothingFails()
    {
        var result = Spectrum.Layers("decoder.*.weight").Alpha.AtMost(6).ApplyTo(Model);

        Assert.That(result.IsSuccess, Is.False);
        Assert.That(Message(result), Does.Contain("no layer is selected").And.Contain("blocks.0.fc1.weight"));
    }

    [Test]
    public void AnUndefinedMetricFailsABound()
    {
        var result = Spectrum.Layers("head.weight").Alpha.AtLeast(0).ApplyTo(Model);

        Assert.That(Message(result), Does.Contain("alpha undefined"));
    }

    [Test]
    public void SelectorsCombine()
    {
        Assert.That(Model, Spectrum.AllLayers.Matching("blocks.**").Where(l => l.Shape[0] == 64, "with 64 rows").StableRank.AtLeast(4));
        Assert.That(Model, Spectrum.LayersOfKind(LayerKind.Linear).StableRank.AtLeast(2));
        Assert.That(Model, Spectrum.Layers(new System.Text.RegularExpressions.Regex(@"fc\d\.weight$")).StableRank.InRange(4, 6));
    }

    [Test]
    public void RelativeDropsAreComparedLayerByLayer()
    {
        var after = Of(
            Layer("blocks.0.fc1.weight", [64, 32], ("stable_rank", 4.5)),   // -10%
            Layer("blocks.1.fc1.weight", [64, 32], ("stable_rank", 2.0)),   // -50%
            Layer("blocks.1.fc2.weight", [32, 64], ("stable_rank", 6.6)),   // +10%
            Layer("head.weight", [10, 32], ("stable_rank", 2.0)));

        var result = Spectrum.Of(Model).StableRank.DroppedBy.AtMost(0.2).ApplyTo(after);

        Assert.That(result.IsSuccess, Is.False);
        Assert.That(Message(result), Does.Contain("1 of 4 layers fail").And.Contain("blocks.1.fc1.weight: stable_rank 4 -> 2, change 50.0%"));
        Assert.That(after, Spectrum.Of(Model).StableRank.RoseBy.AtMost(0.2));
    }

    [Test]
    public void HealthLabels()
    {
        var labelled = new SpectralSignature
        {
            Model = Model.Model, Settings = Model.Settings, Skipped = [],
            Layers =
            [
                new LayerSignature { Name = "a", Shape = [8, 8], Kind = LayerKind.Linear, Metrics = new Dictionary<string, double?>(), Labels = ["under_trained"] },
                new LayerSignature { Name = "b", Shape = [8, 8], Kind = LayerKind.Linear, Metrics = new Dictionary<string, double?>(), Labels = [] },
            ],
        };

        Assert.That(labelled, Spectrum.Layers("b").Are.Not.UnderTrained);
        Assert.That(labelled, Spectrum.Layers("a").Are.UnderTrained);
        Assert.That(labelled, Spectrum.AllLayers.Are.Finite);
        var result = Spectrum.AllLayers.Are.Not.UnderTrained.ApplyTo(labelled);
        Assert.That(Message(result), Does.Contain("1 of 2 selected layers fail").And.Contain("a  labels: [under_trained]"));
    }
}
