using System.Diagnostics;
using SpectralGate.Engine.Training;
using TorchSharp;
using static TorchSharp.torch;

/// <summary>
/// Issue 26: the training monitor's overhead on a real CPU training run. An MLP (128-256-256-10, ReLU) learns a fixed
/// synthetic classification task with Adam, batch 64, for <c>steps</c> steps; each configuration (monitor off, the default
/// cadence inline and on the worker, the default cadence with activation probes) runs <c>runs</c> times, interleaved, and the
/// median wall time of each is compared with the median of "off". The monitor's own measure of its time is printed beside.
///   dotnet run -c Release --project tests/SpectralGate.Benchmarks -- monitor [steps] [runs] [threads]
/// </summary>
internal static class MonitorBenchmark
{
    private const int Inputs = 128, Hidden = 256, Classes = 10, Batch = 64;

    private sealed class Net : nn.Module<Tensor, Tensor>
    {
        private readonly TorchSharp.Modules.Linear fc1, fc2, fc3;
        private readonly TorchSharp.Modules.ReLU act1, act2;

        public Net() : base("Net")
        {
            manual_seed(1);
            fc1 = nn.Linear(Inputs, Hidden);
            act1 = nn.ReLU();
            fc2 = nn.Linear(Hidden, Hidden);
            act2 = nn.ReLU();
            fc3 = nn.Linear(Hidden, Classes);
            RegisterComponents();
        }

        public override Tensor forward(Tensor x) => fc3.call(act2.call(fc2.call(act1.call(fc1.call(x)))));
    }

    public static void Run(int steps, int runs, int? threads)
    {
        if (threads is { } n) set_num_threads(n);
        var generator = new Generator(3);
        using var data = randn([8192, Inputs], generator: generator);
        using var teacher = randn([Inputs, Classes], generator: generator);
        using var labels = data.matmul(teacher).argmax(1);
        using var calibration = data[..512].clone();
        string[] modes = ["off", "default", "default+worker", "default+probes"];
        var times = modes.ToDictionary(m => m, _ => new List<double>());
        var reports = modes.ToDictionary(m => m, _ => new List<MonitorReport>());
        // Warm-up: libtorch and the JIT of the training and the monitor's code. A user's run pays the monitor's JIT once
        // (the first record's cost, printed here), not per record.
        foreach (string mode in modes)
        {
            var (seconds, report) = Train(mode, 300, data, labels, calibration);
            Console.WriteLine($"warm-up {mode,-15} {seconds,7:F2} s  {report}");
        }
        for (int run = 0; run < runs; run++)
            foreach (string mode in run % 2 == 0 ? modes : modes.Reverse())
            {
                var (seconds, report) = Train(mode, steps, data, labels, calibration);
                times[mode].Add(seconds);
                if (report is not null) reports[mode].Add(report);
                Console.WriteLine($"run {run} {mode,-15} {seconds,7:F2} s  {report}");
            }
        double off = Median(times["off"]);
        Console.WriteLine($"\n{steps} steps, {runs} runs each, interleaved; torch threads {get_num_threads()}, {Environment.ProcessorCount} processors");
        Console.WriteLine($"{"mode",-15} {"median s",9} {"ratio",8} {"min s",7} {"max s",7} {"self-measured",14}");
        foreach (string mode in modes)
        {
            double median = Median(times[mode]);
            string self = reports[mode].Count == 0 ? "" : $"{reports[mode].Select(r => r.OverheadFraction).Order().ElementAt(reports[mode].Count / 2):P2}";
            Console.WriteLine($"{mode,-15} {median,9:F2} {median / off,8:F4} {times[mode].Min(),7:F2} {times[mode].Max(),7:F2} {self,14}");
        }
    }

    private static (double Seconds, MonitorReport? Report) Train(string mode, int steps, Tensor data, Tensor labels, Tensor calibration)
    {
        using var model = new Net();
        using var optimizer = optim.Adam(model.parameters(), 1e-3);
        MonitorProbes? probes = mode.Contains("probes") ? new MonitorProbes { Modules = ["act1", "act2"], Calibrate = () => model.call(calibration) } : null;
        using var monitor = mode == "off" ? null : new SpectralMonitor(model, new MonitorOptions { Background = mode.Contains("worker"), Probes = probes, TotalSteps = steps - 1 });
        long batches = data.shape[0] / Batch;
        var clock = Stopwatch.StartNew();
        for (int step = 0; step < steps; step++)
        {
            using var scope = NewDisposeScope();
            long b = step % batches;
            var x = data.narrow(0, b * Batch, Batch);
            var y = labels.narrow(0, b * Batch, Batch);
            optimizer.zero_grad();
            var loss = nn.functional.cross_entropy(model.call(x), y);
            loss.backward();
            optimizer.step();
            monitor?.Record(step);
        }
        monitor?.Complete();
        return (clock.Elapsed.TotalSeconds, monitor?.Report);
    }

    /// <summary>
    /// What the live TensorBoard file (<see cref="MonitorOptions.TensorBoard"/>) adds to a record: the MLP above monitored at
    /// every step for <paramref name="records"/> steps with probes on both activations and no budget, then each step's event
    /// encoded and appended as the monitor does (open, one write, flush), five times over, against the monitor's own time
    /// per record in the same process; and rankme's share of a probed module (the Gram's eigvalsh beside the covariance's).
    ///   dotnet run -c Release --project tests/SpectralGate.Benchmarks -- monitor-tensorboard [records]
    /// </summary>
    public static void TensorBoardCost(int records)
    {
        set_num_threads(1); // as the monitor's analysis runs, and the training too: OpenMP barriers on a loaded 2-core machine swamp the rest
        var generator = new Generator(3);
        using var data = randn([records * Batch, Inputs], generator: generator);
        using var teacher = randn([Inputs, Classes], generator: generator);
        using var labels = data.matmul(teacher).argmax(1);
        using var calibration = data[..512].clone();
        using var model = new Net();
        using var optimizer = optim.Adam(model.parameters(), 1e-3);
        var probes = new MonitorProbes { Modules = ["act1", "act2"], Calibrate = () => model.call(calibration) };
        using var monitor = new SpectralMonitor(model, new MonitorOptions { Every = 1, FullEvery = 0, LogSpacedEarly = false, Budget = 1, Probes = probes });
        for (int step = 0; step < records; step++)
        {
            using var scope = NewDisposeScope();
            optimizer.zero_grad();
            nn.functional.cross_entropy(model.call(data.narrow(0, step * Batch, Batch)), labels.narrow(0, step * Batch, Batch)).backward();
            optimizer.step();
            monitor.Record(step);
        }
        var trajectory = monitor.Complete();
        var report = monitor.Report;
        double perRecord = report.MonitorTime.TotalMilliseconds / report.CheapRecords;

        string file = Path.Combine(Path.GetTempPath(), $"spectralgate-tb-{Environment.ProcessId}", SpectralGate.Engine.Trajectories.TrajectoryTensorBoard.FileName);
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        var appends = new List<double>();
        int values = 0;
        for (int repeat = 0; repeat < 5; repeat++)
        {
            File.WriteAllBytes(file, SpectralGate.Engine.Trajectories.TensorBoardEventFile.FileVersionEvent());
            foreach (var record in trajectory.Records)
            {
                var clock = Stopwatch.StartNew();
                byte[] bytes = SpectralGate.Engine.Trajectories.TrajectoryTensorBoard.StepEvent(record.Step, [record], out values, out _);
                using (var stream = new FileStream(file, FileMode.Append, FileAccess.Write, FileShare.ReadWrite))
                {
                    stream.Write(bytes);
                    stream.Flush(flushToDisk: false);
                }
                appends.Add(clock.Elapsed.TotalMilliseconds);
            }
        }
        Directory.Delete(Path.GetDirectoryName(file)!, recursive: true);
        double append = Median(appends);

        // rankme's share of a probe: the Gram's eigvalsh beside the covariance's, on the 512 × 256 activations of act1.
        Tensor hidden;
        using (no_grad())
            hidden = nn.functional.relu(nn.functional.linear(calibration, model.get_parameter("fc1.weight")!, model.get_parameter("fc1.bias")));
        using var moments = new SpectralGate.Engine.Probes.StreamingCovariance();
        moments.Add(hidden);
        var covariance = new List<double>();
        var gram = new List<double>();
        for (int repeat = 0; repeat < 21; repeat++)
        {
            var clock = Stopwatch.StartNew();
            moments.Eigenvalues();
            covariance.Add(clock.Elapsed.TotalMilliseconds);
            clock.Restart();
            moments.SingularValues();
            gram.Add(clock.Elapsed.TotalMilliseconds);
        }
        Console.WriteLine($"{report.CheapRecords} records with probes, {values} values per event; torch threads {get_num_threads()}");
        Console.WriteLine($"monitor's own time per record {perRecord:F3} ms; event encode + append median {append:F3} ms (min {appends.Min():F3}, max {appends.Max():F3}): {append / perRecord:P2} of a record");
        Console.WriteLine($"one probed module (d = {Hidden}): covariance spectrum median {Median(covariance):F3} ms, rankme's singular values median {Median(gram):F3} ms ({Median(gram) / perRecord:P2} of a record each)");
    }

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);
}
