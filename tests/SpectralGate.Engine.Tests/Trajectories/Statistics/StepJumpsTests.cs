using SpectralGate.Engine.Metrics;
using SpectralGate.Engine.Signatures;
using SpectralGate.Engine.Sources.TorchSharp;
using SpectralGate.Engine.Trajectories;
using SpectralGate.Engine.Trajectories.Statistics;
using TorchSharp;
using static SpectralGate.Tests.Support.TestTrajectories;

namespace SpectralGate.Engine.Tests.Trajectories.Statistics;

public class StepJumpsTests
{
    [Test]
    public void ASingleStepChangeIsTheOnlyJumpAndSitsOnItsStep()
    {
        double[] noise = Gaussian(40, seed: 3);
        var series = DefinedSeries.Of(Series(40, 100, 100, s => (s >= 2_100 ? 4.0 : 3.0) + 0.02 * noise[s / 100 - 1]));

        var scan = StepJumps.Find(series);

        Assert.That(scan.Jumps, Has.Count.EqualTo(1));
        Assert.That(scan.Jumps[0].FromStep, Is.EqualTo(2_000));
        Assert.That(scan.Jumps[0].ToStep, Is.EqualTo(2_100));
        Assert.That(scan.Jumps[0].Change, Is.EqualTo(1.0).Within(0.1));
    }

    [Test]
    public void JitterAloneNeverJumps()
    {
        double[] noise = Gaussian(200, seed: 5);
        var series = DefinedSeries.Of(Series(200, 10, 10, s => 3.0 + 0.01 * noise[s / 10 - 1]));

        Assert.That(StepJumps.Find(series).Jumps, Is.Empty);
    }

    [Test]
    public void WeightWatcher307JumpsInItsFastEarlyPhaseOnly()
    {
        // Changes −13.94, −7.9, −2.7, −0.2, +0.5, +0.2, +0.1, +0.1, +0.1; median change 0.1; |d − 0.1| = 14.04, 8.0, 2.8,
        // 0.3, 0.4, 0.1, 0, 0, 0, whose median is 0.3: 1.4826·MAD = 0.44478, 5 of them 2.2239. The floor is 10% of
        // median |x| = (5.0 + 5.1)/2 = 5.05: 0.505. Jumps: the three early changes (into steps 2000, 3000, 5000).
        var scan = StepJumps.Find(DefinedSeries.Of(Points(WeightWatcher307)));

        Assert.That(scan.ScaledMad, Is.EqualTo(1.4826 * 0.3).Within(1e-9));
        Assert.That(scan.Threshold, Is.EqualTo(5 * 1.4826 * 0.3).Within(1e-9));
        Assert.That(scan.Floor, Is.EqualTo(0.505).Within(1e-12));
        Assert.That(scan.Jumps.Select(j => j.ToStep), Is.EqualTo(new long[] { 2_000, 3_000, 5_000 }));

        // From step 6000: changes 0.5, 0.2, 0.1, 0.1, 0.1 around 0.1; MAD 0, so the floor decides: 10% of 4.95 = 0.495 > 0.4.
        Assert.That(StepJumps.Find(DefinedSeries.Of(Points(WeightWatcher307)).From(6_000)).Jumps, Is.Empty);
    }

    [Test]
    public void AlphaOfNearlyIdenticalWeightsJittersWithoutJumping()
    {
        // WeightWatcher PR #99: the power-law fit's xmin hops between nearby candidates when the weights hardly move, so
        // alpha flickers. Twenty checkpoints of one heavy-tailed 256×128 layer, each a 1e-3·σ perturbation of the same
        // weights, measured by the engine: real estimator jitter, no real change.
        var alphas = AlphaOfPerturbedCheckpoints(count: 20, relativePerturbation: 1e-3);
        var series = DefinedSeries.Of(alphas.Select((a, i) => new TrajectoryPoint((i + 1) * 100L, a)).ToList());
        TestContext.Out.WriteLine("alpha: " + string.Join(", ", alphas.Select(a => a.ToString("F4"))));

        var scan = StepJumps.Find(series);

        Assert.That(alphas.Max() - alphas.Min(), Is.GreaterThan(0), "the estimator must actually jitter for this test to mean anything");
        Assert.That(scan.Jumps, Is.Empty, $"threshold {scan.Threshold} (1.4826·MAD {scan.ScaledMad}, floor {scan.Floor})");
    }

    private static double[] AlphaOfPerturbedCheckpoints(int count, double relativePerturbation)
    {
        using var scope = torch.NewDisposeScope();
        var generator = new torch.Generator(17);
        // Student-t entries with 3 degrees of freedom: a heavy-tailed ESD, so alpha is defined and well inside its range.
        var normal = torch.randn(256, 128, dtype: torch.float64, generator: generator);
        var chi = torch.randn(3, 256, 128, dtype: torch.float64, generator: generator).pow(2).sum(0).div(3).sqrt();
        var weights = normal.div(chi);
        double sigma = weights.std().item<double>();
        var alphas = new double[count];
        for (int i = 0; i < count; i++)
        {
            using var layer = torch.nn.Linear(128, 256, hasBias: false, dtype: torch.float64);
            using (torch.no_grad())
                layer.weight!.copy_(weights + relativePerturbation * sigma * torch.randn(256, 128, dtype: torch.float64, generator: generator));
            using var source = new ModuleSource(layer);
            SpectralSignature signature = SpectralEngine.Compute(source);
            alphas[i] = signature.Layers.Single()[MetricNames.Alpha] ?? throw new InvalidOperationException("alpha undefined");
        }
        return alphas;
    }
}
