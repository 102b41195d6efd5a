using SpectralGate.Engine.Probes;
using SpectralGate.Engine.Trajectories;
using SpectralGate.Engine.Training;
using SpectralGate.Tests.Support;
using TorchSharp;
using static TorchSharp.torch;

namespace SpectralGate.Engine.Tests.Training;

/// <summary>
/// RankMe over a monitored run with a known collapse: a two-layer linear network from a small initialisation learns a
/// rank-3 map (singular values 3, 2, 1). Its hidden representation starts as a random projection of the 16 inputs and
/// ends spanned by the three learned directions (Saxe et al. 2014: from small weights, deep linear networks learn the
/// map's modes one by one, strongest first, and leave the others near their initial scale). So RankMe shows both phases
/// of the RankMe literature: a collapse from near 16 to below 2 while the first mode dominates, then an expansion to
/// about 3 as the other two are learned (measured: 14.7 at step 0, 1.50 at step 50, 2.99 from step 175 on).
/// </summary>
public class MonitorRankMeTests
{
    private const string Hidden = ActivationProbe.Prefix + "fc1";

    private sealed class DeepLinear : nn.Module<Tensor, Tensor>
    {
        private readonly nn.Module<Tensor, Tensor> fc1 = nn.Linear(16, 32, hasBias: false, dtype: ScalarType.Float64);
        private readonly nn.Module<Tensor, Tensor> fc2 = nn.Linear(32, 16, hasBias: false, dtype: ScalarType.Float64);

        public DeepLinear() : base(nameof(DeepLinear))
        {
            RegisterComponents();
            using var _ = no_grad();
            foreach (var p in parameters()) p.mul_(1e-3);
        }

        public nn.Module<Tensor, Tensor> Fc1 => fc1;

        public override Tensor forward(Tensor x) => fc2.call(fc1.call(x));
    }

    private static double RankMeOfSvdvals(Tensor z)
    {
        double[] sigma = linalg.svdvals(z).data<double>().ToArray();
        double total = sigma.Sum(), entropy = 0;
        foreach (double s in sigma)
        {
            double p = s / total + 1e-7;
            entropy -= p * Math.Log(p);
        }
        return Math.Exp(entropy);
    }

    [Test]
    public void TheProbeTierRecordsRankMeCollapsingOntoTheLearnedRankAndTensorBoardShowsIt()
    {
        // 300 steps of tiny products: on one thread, since OpenMP's barriers on a loaded 2-core machine cost more than the work.
        int threads = get_num_threads();
        set_num_threads(1);
        try
        {
            Run();
        }
        finally
        {
            set_num_threads(threads);
        }
    }

    private static void Run()
    {
        using var scope = NewDisposeScope();
        manual_seed(11);
        var generator = new Generator(11);
        var x = randn([256, 16], dtype: ScalarType.Float64, generator: generator);
        var (u, _) = linalg.qr(randn([16, 3], dtype: ScalarType.Float64, generator: generator));
        var (v, _) = linalg.qr(randn([16, 3], dtype: ScalarType.Float64, generator: generator));
        var target = u.matmul(diag(tensor(new[] { 3.0, 2.0, 1.0 }))).matmul(v.t());
        var y = x.matmul(target.t());
        var model = new DeepLinear();
        var optimizer = optim.SGD(model.parameters(), 0.05);
        string board = Path.Combine(TestPaths.NewScratchFolder(), "tb");
        var probes = new MonitorProbes { Modules = ["fc1"], Calibrate = () => model.call(x) };
        const int steps = 300;
        using var monitor = new SpectralMonitor(model, new MonitorOptions { Every = 25, FullEvery = 0, Budget = 1, Probes = probes, TensorBoard = board });

        for (long step = 0; step < steps; step++)
        {
            using var stepScope = NewDisposeScope();
            optimizer.zero_grad();
            var loss = (model.call(x) - y).pow(2).sum(1).mean() / 2;
            loss.backward();
            optimizer.step();
            monitor.Record(step);
        }
        monitor.RecordNow(steps);
        var trajectory = monitor.Complete();

        var rankMe = trajectory.Series(Hidden, ProbeMetricNames.RankMe, TrajectoryTiers.Cheap);
        var lowest = rankMe.MinBy(p => p.Value)!;
        double final;
        using (no_grad()) final = RankMeOfSvdvals(model.Fc1.call(x));
        var boardSeries = TensorBoardEvents.Read(Path.Combine(board, TrajectoryTensorBoard.FileName)).Skip(1)
            .Select(e => (e.Step, Value: e.Values.Single(t => t.Tag == "spectral_cheap/" + Hidden + "/rankme").Value)).ToList();
        TestContext.Out.WriteLine(string.Join(", ", rankMe.Select(p => $"{p.Step}: {p.Value:F3}")));
        Assert.Multiple(() =>
        {
            Assert.That(rankMe, Has.Count.EqualTo(trajectory.Records.Count(r => r.Tier == TrajectoryTiers.Cheap)), "every record probed");
            Assert.That(rankMe[0].Value, Is.GreaterThan(10), "a random projection of 16 inputs");
            Assert.That(lowest.Value, Is.LessThan(2), "the collapse onto the first mode");
            Assert.That(lowest.Step, Is.InRange(1, steps / 2));
            Assert.That(rankMe[^1].Value, Is.InRange(2.8, 3.2), "the expansion to three learned directions (2.93 for modes √3, √2, 1)");
            // The last record probed the final weights: the stream's RankMe is RankMe of svdvals(fc1(x)), from the paper's formula.
            Assert.That(rankMe[^1].Value, Is.EqualTo(final).Within(1e-9 * final));
            Assert.That(boardSeries.Select(p => p.Step), Is.EqualTo(rankMe.Select(p => p.Step)));
            Assert.That(boardSeries.Select(p => (double)p.Value), Is.EqualTo(rankMe.Select(p => p.Value!.Value)).Within(1e-5).Percent, "float32");
        });
    }
}
