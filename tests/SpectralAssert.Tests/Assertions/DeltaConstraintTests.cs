using NUnit.Framework.Constraints;
using NUnit.Framework.Internal;
using SpectralAssert.Assertions;
using SpectralGate.Tests.Support;
using static TorchSharp.torch;

namespace SpectralAssert.Tests.Assertions;

/// <summary><c>Spectrum.DeltaFrom(base)</c> and <c>Are.Not.CorrelationTrapped</c> on planted, closed-form cases.</summary>
public class DeltaConstraintTests
{
    private const string Q = "model.layers.0.self_attn.q_proj.weight";
    private const string Up = "model.layers.0.mlp.up_proj.weight";

    private static string Message(ConstraintResult result)
    {
        var writer = new TextMessageWriter();
        result.WriteMessageTo(writer);
        return writer.ToString();
    }

    /// <summary>A base, and a tuned copy whose q_proj moved by U·diag(5, 3, 2)·Vᵀ: stable rank (25+9+4)/25 = 1.52.</summary>
    private static (string Base, string Tuned, double RelativeChange) Models()
    {
        var w = DeltaFixtures.Gaussian(64, 48, seed: 1);
        var up = DeltaFixtures.Gaussian(96, 48, seed: 2);
        var update = DeltaFixtures.Orthonormal(64, 3, seed: 3).matmul(diag(tensor(new[] { 5.0, 3, 2 }))).matmul(DeltaFixtures.Orthonormal(48, 3, seed: 4).t());
        double relative = Math.Sqrt(25 + 9 + 4) / w.norm().item<double>();
        return (DeltaFixtures.Checkpoint((Q, w), (Up, up)), DeltaFixtures.Checkpoint((Q, w + update), (Up, up)), relative);
    }

    [Test]
    public void APlantedRankThreeUpdatePassesAStableRankBoundAndFailsATighterOneWithItsValue()
    {
        var (basePath, tuned, _) = Models();

        var loose = Spectrum.DeltaFrom(basePath).Layers("model.layers.*.self_attn.q_proj.weight").StableRank.AtMost(8).ApplyTo(tuned);
        var tight = Spectrum.DeltaFrom(basePath).Layers("model.layers.*.self_attn.q_proj.weight").StableRank.AtMost(1.5).ApplyTo(tuned);

        Assert.Multiple(() =>
        {
            Assert.That(loose.IsSuccess, Is.True, Message(loose));
            Assert.That(tight.IsSuccess, Is.False);
            Assert.That(Message(tight), Does.Contain("1 of 1 selected layers fail")
                .And.Contain($"{Q}  delta_stable_rank = 1.52  (expected ≤ 1.5; changed)"));
        });
        Assert.That(tuned, Spectrum.DeltaFrom(basePath).Layers("model.layers.*.self_attn.q_proj.weight").StableRank.AtMost(8));
    }

    [Test]
    public void RelativeChangeOnAllLayersNamesTheLayerThatMovedAndPassesTheUnchangedOne()
    {
        var (basePath, tuned, relative) = Models();

        var result = Spectrum.DeltaFrom(basePath).AllLayers.RelativeChange.AtMost(0.05).ApplyTo(tuned);

        Assert.Multiple(() =>
        {
            Assert.That(result.IsSuccess, Is.False);
            Assert.That(Message(result), Does.Contain("1 of 2 selected layers fail (1 pass)")
                .And.Contain($"{Q}  relative_change = {relative:G6}  (expected ≤ 0.05; changed)")
                .And.Not.Contain(Up));
        });
        Assert.That(tuned, Spectrum.DeltaFrom(basePath).AllLayers.RelativeChange.AtMost(relative * 1.0001));
    }

    [Test]
    public void AnUnchangedLayerHasAZeroDeltaSoItPassesUpperBoundsAndFailsLowerOnes()
    {
        var (basePath, tuned, _) = Models();

        var atMost = Spectrum.DeltaFrom(basePath).Layers(Up).StableRank.AtMost(8).ApplyTo(tuned);
        var atLeast = Spectrum.DeltaFrom(basePath).Layers(Up).NumericalRank.AtLeast(1).ApplyTo(tuned);

        Assert.Multiple(() =>
        {
            Assert.That(atMost.IsSuccess, Is.True, Message(atMost));
            Assert.That(Message(atLeast), Does.Contain($"{Up}  delta_numerical_rank = 0  (expected ≥ 1; unchanged)"));
        });
    }

    [Test]
    public void ALayerOnOneSideOnlyFailsAndAnEmptySelectionFails()
    {
        var w = DeltaFixtures.Gaussian(32, 24, seed: 5);
        string basePath = DeltaFixtures.Checkpoint(("a.weight", w), ("b.weight", w));
        string tuned = DeltaFixtures.Checkpoint(("a.weight", w));

        var oneSided = Spectrum.DeltaFrom(basePath).AllLayers.RelativeChange.AtMost(1).ApplyTo(tuned);
        var none = Spectrum.DeltaFrom(basePath).Layers("decoder.*").RelativeChange.AtMost(1).ApplyTo(tuned);

        Assert.Multiple(() =>
        {
            Assert.That(Message(oneSided), Does.Contain("b.weight  only in the base model"));
            Assert.That(Message(none), Does.Contain("no layer is selected").And.Contain("a.weight"));
        });
    }

    [Test]
    public void CorrelationTrappedComputesTheTrapsAndNamesTheTrappedLayerWithItsSpikes()
    {
        var planted = DeltaFixtures.Gaussian(200, 100, seed: 6);
        planted[7, 11] = tensor(100.0);
        string model = DeltaFixtures.Checkpoint(("random.weight", DeltaFixtures.Gaussian(200, 100, seed: 7)), ("trapped.weight", planted));

        var result = Spectrum.AllLayers.Are.Not.CorrelationTrapped.ApplyTo(model);

        Assert.Multiple(() =>
        {
            Assert.That(result.IsSuccess, Is.False);
            Assert.That(Message(result), Does.Contain("1 of 2 selected layers fail")
                .And.Contain("trapped.weight  labels: [").And.Contain("correlation_trap").And.Contain("num_rand_spikes = 1")
                .And.Not.Contain("random.weight"));
        });
        Assert.That(model, Spectrum.Layers("random.weight").Are.Not.CorrelationTrapped);
    }
}
