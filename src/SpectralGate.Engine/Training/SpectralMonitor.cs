using SpectralGate.Engine.Matrices;
using SpectralGate.Engine.Names;
using SpectralGate.Engine.Probes;
using SpectralGate.Engine.Signatures;
using SpectralGate.Engine.Sources;
using SpectralGate.Engine.Sources.TorchSharp;
using SpectralGate.Engine.Trajectories;
using TorchSharp;

namespace SpectralGate.Engine.Training;

/// <summary>
/// Records a model's spectra while a hand-written TorchSharp loop trains it (TorchSharp has no trainer and no optimizer
/// hooks, so the loop calls the monitor):
/// <code>
/// using var monitor = new SpectralMonitor(model, new MonitorOptions { Every = 100 });
/// for (long step = 0; step &lt; steps; step++)
/// {
///     ... forward, backward, optimizer.step() ...
///     monitor.Record(step, () => new Dictionary&lt;string, double&gt; { ["train_loss"] = loss });
/// }
/// Trajectory trajectory = monitor.Complete();
/// </code>
/// <see cref="Record(long)"/> returns at once on steps off the <see cref="MonitorSchedule"/>. On a recorded step it copies
/// the selected weights under <c>no_grad</c> (<see cref="WeightSnapshot"/>), runs the activation probes, and analyses the
/// copy inline or on a worker: a cheap record (<see cref="CheapTier"/>) and, every m-th time, the full signature of
/// <see cref="SpectralEngine"/>, whose layers are those of a checkpoint of the same weights. It keeps to
/// <see cref="MonitorOptions.Budget"/> and lists what it dropped (<see cref="Report"/>). docs/training.md, "The monitor".
/// </summary>
public sealed class SpectralMonitor : IDisposable
{
    /// <summary>The name of the activation-probe work in <see cref="DroppedWork.Tier"/> (its layers go in the cheap record).</summary>
    public const string ProbeTier = "probes";

    /// <summary>The <see cref="TrajectoryRecord.Source"/> of live records.</summary>
    public const string LiveSource = TrajectoryJson.LiveSource;

    private readonly torch.nn.Module _model;
    private readonly MonitorOptions _options;
    private readonly List<TensorEntry> _parameters = [];
    private readonly Dictionary<string, LayerKind> _kinds = new(StringComparer.Ordinal);
    private readonly CheapTier _cheap;
    private readonly OverheadBudget _budget;
    private readonly MonitorWorker? _worker;
    private readonly List<TrajectoryRecord> _records = [];
    private readonly List<DroppedWork> _dropped = [];
    private readonly object _gate = new();
    private long _lastStep = -1;
    private TimeSpan _lastSeen;
    private double _fullToCheapWork = 1;
    private int _cheapCount, _fullCount, _probeCount;
    private bool _completed;

    public SpectralMonitor(torch.nn.Module model, MonitorOptions? options = null)
    {
        _model = model;
        _options = options ?? new MonitorOptions();
        Schedule = new MonitorSchedule(_options.Every, _options.FullEvery, _options.LogSpacedEarly);
        Description = _options.Description ?? $"module:{model.GetName()}";
        if (_options.Probes is { } probes && (probes.Every < 1 || probes.Modules.Count + probes.Mixers.Count == 0))
            throw new ArgumentException("monitor probes need at least one module (Modules or Mixers) and Every ≥ 1.", nameof(options));
        if (_options.Probes is { Pairs.Count: > 0, Modules.Count: 0 })
            throw new ArgumentException("monitor probes: Pairs name activation modules, so Modules must list them.", nameof(options));
        SelectLayers();
        _cheap = new CheapTier(_options.Signature.Matrices, _options.PowerIterationTolerance, _options.PowerIterationLimit);
        _budget = new OverheadBudget(_options.Budget, _options.TotalSteps);
        if (_options.Background) _worker = new MonitorWorker(_options.QueueCapacity);
    }

    public MonitorSchedule Schedule { get; }

    public string Description { get; }

    /// <summary>The monitored tensors (after the selection), in the model's order.</summary>
    public IReadOnlyList<string> Tensors => _parameters.Select(p => p.Name).ToList();

    /// <summary>True when <see cref="Record(long)"/> would record at this step (for loops that compute their scalars only then).</summary>
    public bool IsDue(long step) => Schedule.IsScheduled(step);

    /// <summary>Records the step if it is on the schedule; returns whether anything was recorded. Steps must increase.</summary>
    public bool Record(long step) => Schedule.IsScheduled(step) ? Take(step, null, onDemand: false) : NotDue();

    /// <summary>As <see cref="Record(long)"/>, with scalars the loop reports (<c>train_loss</c>, ...), stored in the record.</summary>
    public bool Record(long step, IReadOnlyDictionary<string, double> scalars) => Schedule.IsScheduled(step) ? Take(step, () => scalars, onDemand: false) : NotDue();

    /// <summary>As <see cref="Record(long)"/>; <paramref name="scalars"/> is called only on recorded steps (e.g. a test accuracy).</summary>
    public bool Record(long step, Func<IReadOnlyDictionary<string, double>> scalars) => Schedule.IsScheduled(step) ? Take(step, scalars, onDemand: false) : NotDue();

    /// <summary>Records now, off the schedule and regardless of the budget: a cheap record, the probes and the full signature.</summary>
    public void RecordNow(long step, IReadOnlyDictionary<string, double>? scalars = null) => Take(step, scalars is null ? null : () => scalars, onDemand: true);

    /// <summary>The records so far (waits for queued analyses), with the full records' signature settings.</summary>
    public Trajectory Trajectory
    {
        get
        {
            _worker?.Drain();
            lock (_gate)
                return new Trajectory
                {
                    Settings = SpectralEngine.Settings(_options.Signature),
                    Records = _records.OrderBy(r => r.Step).ThenBy(r => r.Tier, StringComparer.Ordinal).ToList(),
                };
        }
    }

    /// <summary>What was recorded and dropped, and the overhead (waits for queued analyses).</summary>
    public MonitorReport Report
    {
        get
        {
            _worker?.Drain();
            lock (_gate)
            {
                if (_lastStep >= 0) _budget.See(_lastSeen);
                return new MonitorReport
                {
                    Budget = _options.Budget,
                    MonitorTime = _budget.Spent,
                    Elapsed = _budget.Elapsed,
                    CheapRecords = _cheapCount,
                    FullRecords = _fullCount,
                    ProbeRecords = _probeCount,
                    RetainedBytes = _cheap.RetainedBytes,
                    Dropped = _dropped.ToList(),
                };
            }
        }
    }

    /// <summary>Waits for queued analyses, stops the worker and returns the trajectory. Further records are refused.</summary>
    public Trajectory Complete()
    {
        var trajectory = Trajectory;
        _completed = true;
        return trajectory;
    }

    private bool NotDue()
    {
        // Keeps the elapsed wall time current for the report: one timestamp read, no lock.
        if (_lastStep >= 0) _lastSeen = Now();
        return false;
    }

    private TimeSpan Now() => TimeSpan.FromSeconds((double)_options.Clock.GetTimestamp() / _options.Clock.TimestampFrequency);

    private bool Take(long step, Func<IReadOnlyDictionary<string, double>>? scalars, bool onDemand)
    {
        if (_completed) throw new InvalidOperationException($"{Description}: the monitor was completed; start a new one to record again.");
        _worker?.ThrowIfFailed();
        if (step < 0) throw new ArgumentOutOfRangeException(nameof(step), step, "training steps count from 0.");
        if (step <= _lastStep) throw new ArgumentException($"{Description}: step {step} comes after step {_lastStep}; recorded steps must increase.", nameof(step));
        TimeSpan start = Now();
        _lastSeen = start;
        bool cheap, probe, full;
        lock (_gate)
        {
            _budget.Start(start, step);
            _budget.See(start);
            TimeSpan granted = TimeSpan.Zero;
            cheap = Grant(TrajectoryTiers.Cheap, true, step, start, onDemand, ref granted);
            probe = Grant(ProbeTier, _options.Probes is { } p && (onDemand || _cheapCount % p.Every == 0), step, start, onDemand && cheap, ref granted, requires: cheap);
            full = Schedule.IsFull(step) && !onDemand && _budget.Fraction < 1 && _budget.LastCost(TrajectoryTiers.Full) is null && _budget.Estimate(TrajectoryTiers.Full) is null
                ? Unestimated(step)
                : Grant(TrajectoryTiers.Full, onDemand || Schedule.IsFull(step), step, start, onDemand, ref granted, requires: cheap);
        }
        _lastStep = step;
        if (!cheap) return false;

        var values = scalars?.Invoke();
        TimeSpan afterScalars = Now(); // the loop's own scalars (a test accuracy) are its time, not the monitor's
        var snapshot = WeightSnapshot.Copy(LiveSource, _parameters);
        IReadOnlyList<LayerSignature> probeLayers = [];
        TimeSpan probeCost = TimeSpan.Zero;
        if (probe)
        {
            TimeSpan probeStart = Now();
            probeLayers = RunProbes();
            probeCost = Now() - probeStart;
        }
        TimeSpan copyCost = Now() - afterScalars - probeCost;
        lock (_gate)
        {
            if (probe) _budget.Charge(ProbeTier, probeCost);
            _budget.Charge(null, copyCost);
        }

        var sortedScalars = new SortedDictionary<string, double>(StringComparer.Ordinal);
        foreach (var (name, value) in values ?? new Dictionary<string, double>()) sortedScalars[name] = value;
        void Analyse() => AnalyseSnapshot(step, snapshot, full, probeLayers, sortedScalars, copyCost);
        if (_worker is null) OnOneThread(Analyse);
        else
        {
            TimeSpan waitStart = Now();
            _worker.Post(Analyse);
            TimeSpan waited = Now() - waitStart;
            lock (_gate) _budget.Charge(null, waited); // back-pressure: the training thread waited for the worker
        }
        return true;
    }

    private bool Grant(string tier, bool due, long step, TimeSpan now, bool onDemand, ref TimeSpan granted, bool requires = true)
    {
        if (!due) return false;
        if (!requires)
        {
            _dropped.Add(new DroppedWork(step, tier, "the cheap record of this step was dropped"));
            return false;
        }
        if (onDemand || _budget.Allows(tier, now, step, granted))
        {
            granted += _budget.LastCost(tier) ?? TimeSpan.Zero;
            return true;
        }
        TimeSpan horizon = _budget.Horizon(now, step);
        _dropped.Add(new DroppedWork(step, tier,
            $"over budget: {_budget.Spent.TotalMilliseconds:F1} ms spent + {granted.TotalMilliseconds:F1} ms granted + {(_budget.LastCost(tier) ?? _budget.Estimate(tier))!.Value.TotalMilliseconds:F1} ms for this tier "
            + $"> {_budget.Fraction:P2} of {horizon.TotalMilliseconds:F0} ms"));
        return false;
    }

    /// <summary>A full record due before any cheap record was timed: its cost cannot be estimated, so a budget cannot admit it.</summary>
    private bool Unestimated(long step)
    {
        _dropped.Add(new DroppedWork(step, TrajectoryTiers.Full,
            "its cost cannot be estimated before a cheap record was timed (RecordNow records it regardless of the budget)"));
        return false;
    }

    private void AnalyseSnapshot(long step, WeightSnapshot snapshot, bool full, IReadOnlyList<LayerSignature> probeLayers,
        IReadOnlyDictionary<string, double> scalars, TimeSpan copyCost)
    {
        TimeSpan start = Now();
        if (full)
        {
            SpectralSignature signature = SpectralEngine.Compute(snapshot, _options.Signature);
            TimeSpan fullCost = Now() - start;
            lock (_gate)
            {
                _budget.Charge(TrajectoryTiers.Full, fullCost);
                _records.Add(new TrajectoryRecord { Step = step, Source = LiveSource, Tier = TrajectoryTiers.Full, Layers = signature.Layers, Scalars = scalars });
                _fullCount++;
            }
            start = Now();
        }
        var layers = _cheap.Compute(snapshot, _kinds).Concat(probeLayers).OrderBy(l => l.Name, NaturalNameComparer.Instance).ToList();
        TimeSpan cheapCost = Now() - start;
        lock (_gate)
        {
            // The copy was charged when it was made; the next decision expects it again with the cheap record.
            _budget.Charge(TrajectoryTiers.Cheap, cheapCost, estimate: cheapCost + copyCost);
            if (_budget.LastCost(TrajectoryTiers.Full) is null) _budget.SetEstimate(TrajectoryTiers.Full, (cheapCost + copyCost) * _fullToCheapWork);
            _records.Add(new TrajectoryRecord { Step = step, Source = LiveSource, Tier = TrajectoryTiers.Cheap, Layers = layers, Scalars = scalars });
            _cheapCount++;
            if (probeLayers.Count > 0) _probeCount++;
        }
    }

    private IReadOnlyList<LayerSignature> RunProbes()
    {
        MonitorProbes probes = _options.Probes!;
        return OnOneThread(() =>
        {
            bool wasTraining = _model.training;
            _model.eval();
            try
            {
                using var activations = probes.Modules.Count > 0 ? new ActivationProbe(_model, probes.Modules) : null;
                using var mixers = probes.Mixers.Count > 0 ? new MixerProbe(_model, probes.Mixers) : null;
                using (torch.no_grad())
                using (torch.NewDisposeScope())
                    probes.Calibrate();
                activations?.EnsureEveryHookFired();
                mixers?.EnsureEveryHookFired();
                return (activations?.Layers(probes.Pairs) ?? []).Concat(mixers?.Layers() ?? []).ToList();
            }
            finally
            {
                if (wasTraining) _model.train();
            }
        });
    }

    /// <summary>
    /// Runs on one libtorch thread of the calling thread and restores its count: the bits must not depend on the thread
    /// count, and the per-thread setting leaves a worker's or the trainer's other threads alone.
    /// </summary>
    private static T OnOneThread<T>(Func<T> work)
    {
        int saved = torch.get_num_threads();
        if (saved != 1) torch.set_num_threads(1);
        try
        {
            return work();
        }
        finally
        {
            if (saved != 1) torch.set_num_threads(saved);
        }
    }

    private static void OnOneThread(Action work) => OnOneThread(() => { work(); return 0; });

    private void SelectLayers()
    {
        SignatureOptions signature = _options.Signature;
        var source = new ModuleSource(_model, Description);
        var planner = new TensorPlanner(source.Tensors, signature.Selection, shard: null, signature.Kinds);
        var includes = new GlobUse(signature.Selection.Include);
        foreach (TensorEntry entry in source.Tensors)
        {
            includes.See(entry.Name);
            TensorPlan plan = planner.Plan(entry);
            if (plan.Skip is not null) continue;
            _parameters.Add(entry);
            _kinds[entry.Name] = plan.Kind;
        }
        _fullToCheapWork = FullToCheapWork(_parameters);
        IncludeGlobUse.ThrowIfAnyUnmatched(includes, Description);
        if (_parameters.Count == 0)
            throw new Errors.NothingAnalysedException(Description,
                "no parameter of the model is a matrix the selection keeps, so there is nothing to monitor; its parameters: "
                + string.Join(", ", source.Tensors.Take(12).Select(t => $"{t.Name} [{string.Join(", ", t.Shape)}]")) + ".");
    }

    /// <summary>
    /// How much more arithmetic a full record does than a cheap one, from the matrices' sides (m ≤ n, k positions): the Gram
    /// k·m²·n and its eigvalsh ~10·k·m³ (tridiagonal reduction and QR sweeps) against the cheap tier's ~12·k·m·n (two
    /// products per power iteration, about three iterations, for W and ΔW). The full tier's first estimate is the cheap
    /// record's measured time times this: pessimistic, since products run faster per operation than eigvalsh, which is
    /// what a budget wants before it has measured.
    /// </summary>
    private static double FullToCheapWork(IEnumerable<TensorEntry> parameters)
    {
        double full = 0, cheap = 0;
        foreach (TensorEntry p in parameters)
        {
            double rows = p.Shape[0], columns = p.Shape.Skip(1).Aggregate(1.0, (a, d) => a * d);
            double m = Math.Min(rows, columns), n = Math.Max(rows, columns);
            full += m * m * n + 10 * m * m * m;
            cheap += 12 * m * n;
        }
        return cheap > 0 ? Math.Max(1, full / cheap) : 1;
    }

    public void Dispose()
    {
        _worker?.Dispose();
        _cheap.Dispose();
    }
}
