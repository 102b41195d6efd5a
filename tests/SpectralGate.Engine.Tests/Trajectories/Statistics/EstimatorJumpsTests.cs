using SpectralGate.Engine.Metrics;
using SpectralGate.Engine.Signatures;
using SpectralGate.Engine.Sources.TorchSharp;
using SpectralGate.Engine.Trajectories;
using SpectralGate.Engine.Trajectories.Statistics;
using TorchSharp;

namespace SpectralGate.Engine.Tests.Trajectories.Statistics;

/// <summary>Real alpha jitter: the engine's own fit on near-identical weight matrices, one layer recorded 20 times.</summary>
public class EstimatorJumpsTests
{
    private const string Layer = "weight";

    private static readonly Lazy<Trajectory> BarelyMoving = new(() => Record(WeightsSeries(count: 20, changeAt: null)));

    private static readonly Lazy<Trajectory> Retrained = new(() => Record(WeightsSeries(count: 20, changeAt: 10)));

    private static DefinedSeries Alpha(Trajectory t) => DefinedSeries.Of(t.Series(Layer, MetricNames.Alpha));

    [Test]
    public void AlphaOfNearlyIdenticalWeightsJittersWithoutAJump()
    {
        Trajectory trajectory = BarelyMoving.Value;
        var alpha = Alpha(trajectory);
        TestContext.Out.WriteLine("alpha: " + string.Join(", ", alpha.Values.Select(a => a.ToString("F4"))));

        var scan = EstimatorJumps.Find(trajectory, Layer, MetricNames.Alpha, alpha);

        // The estimator really jumps here (xmin moved): the series alone would call it a jump.
        Assert.That(StepJumps.Find(alpha).Jumps, Is.Not.Empty, "the fit must flicker for this test to mean anything");
        Assert.That(scan.Jumps, Is.Empty);
        Assert.That(scan.EstimatorJumps, Is.Not.Empty);
        TestContext.Out.WriteLine("ESD distance of the estimator jumps: " + string.Join(", ", scan.EstimatorJumps.Select(j => $"{j.Jump.ToStep}: {j.EsdDistance:G3}")));
        Assert.That(scan.EstimatorJumps.Max(j => j.EsdDistance), Is.LessThan(TrajectoryStatisticsDefaults.JumpEsdFloor / 3));
    }

    [Test]
    public void AJumpOfAlphaWithARealChangeOfSpectrumCounts()
    {
        Trajectory trajectory = Retrained.Value;
        var alpha = Alpha(trajectory);
        TestContext.Out.WriteLine("alpha: " + string.Join(", ", alpha.Values.Select(a => a.ToString("F4"))));

        var scan = EstimatorJumps.Find(trajectory, Layer, MetricNames.Alpha, alpha);

        Assert.That(scan.Jumps.Select(j => j.ToStep), Does.Contain(1_100L), "the new spectrum from step 1100 on");
    }

    [Test]
    public void AJumpOfANormIsNeverSetApart()
    {
        var points = Enumerable.Range(1, 20).Select(i => new TrajectoryPoint(i * 100L, i <= 10 ? 1.0 : 2.0)).ToList();
        var trajectory = SpectralGate.Tests.Support.TestTrajectories.Of((Layer, [256, 128], MetricNames.SpectralNorm, points));

        var scan = EstimatorJumps.Find(trajectory, Layer, MetricNames.SpectralNorm, DefinedSeries.Of(points));

        Assert.That(scan.Jumps, Has.Count.EqualTo(1));
    }

    /// <summary>
    /// Weights of one 256×128 layer at steps 100, 200, ...: Student-t entries (3 degrees of freedom, a heavy-tailed ESD),
    /// each record perturbed by 1e-3·σ. With <paramref name="changeAt"/>, the records from it on are a fresh
    /// draw with 2 degrees of freedom: a real change of spectrum.
    /// </summary>
    private static IEnumerable<(long Step, SpectralSignature Signature)> WeightsSeries(int count, int? changeAt)
    {
        var generator = new torch.Generator(17);
        torch.Tensor Heavy(int dof)
        {
            var normal = torch.randn(256, 128, dtype: torch.float64, generator: generator);
            var chi = torch.randn(dof, 256, 128, dtype: torch.float64, generator: generator).pow(2).sum(0).div(dof).sqrt();
            return normal.div(chi);
        }
        using var scope = torch.NewDisposeScope();
        var weights = Heavy(3);
        for (int i = 0; i < count; i++)
        {
            if (i == changeAt) weights = Heavy(2);
            double sigma = weights.std().item<double>();
            using var layer = torch.nn.Linear(128, 256, hasBias: false, dtype: torch.float64);
            using (torch.no_grad())
                layer.weight!.copy_(weights + 1e-3 * sigma * torch.randn(256, 128, dtype: torch.float64, generator: generator));
            using var source = new ModuleSource(layer);
            yield return ((i + 1) * 100L, SpectralEngine.Compute(source));
        }
    }

    private static Trajectory Record(IEnumerable<(long Step, SpectralSignature Signature)> signatures) => new()
    {
        Settings = SpectralEngine.Settings(new SignatureOptions()),
        Records = signatures.Select(s => new TrajectoryRecord { Step = s.Step, Source = "live", Layers = s.Signature.Layers }).ToList(),
    };
}
