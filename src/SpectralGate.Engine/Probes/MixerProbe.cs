using SpectralGate.Engine.Matrices;
using SpectralGate.Engine.Signatures;
using TorchSharp;

namespace SpectralGate.Engine.Probes;

/// <summary>
/// The residual mixers H_res a hyper-connection model produces on a batch (HC, mHC, JPmHC, sHC): a forward hook on each
/// named module, which must output the mixing matrices, shape <c>[..., n, n]</c>, every leading index one token (the same
/// leading shape at every module of one forward pass). The modules are named in depth order, so the hooks also follow
/// the product H_l ⋯ H_1 per token: the <b>composite gain</b> at depth l is its spectral norm, which an unconstrained HC
/// grows without bound. Each module becomes a layer <c>probe:mixer/{module}</c> of kind <c>mixer</c>; each metric is
/// a statistic over tokens (docs/probes.md, "Mixers of a live model"). Memory: one running product <c>[tokens, n, n]</c>
/// and one float64 per token and module for each quantiled quantity; the matrices are not kept.
/// <code>
/// var layers = MixerProbe.Capture(model, batch, "blocks.0.mixer", "blocks.1.mixer", "blocks.2.mixer");
/// var signature = SpectralEngine.Compute(new ModuleSource(model)).WithProbes(layers);
/// </code>
/// For several batches, or inside a training loop: <c>using var probe = new MixerProbe(model, modules);</c>, run the
/// batches through <c>model.call</c>, then <see cref="Layers"/>.
/// </summary>
public sealed class MixerProbe : IDisposable
{
    public const string Prefix = MixerMetrics.Prefix;

    /// <summary>The most streams a probed mixer may mix: a larger square output is another module (attention scores, a weight).</summary>
    public const int MaxStreams = 64;

    private readonly string[] _modules;
    private readonly MixerTokenStatistics[] _statistics;
    private readonly List<Action> _removeHooks = [];
    private double[]? _direction; // [tokens, n, n]: H_l ⋯ H_1 / its spectral norm, per token
    private double[]? _gain;      // [tokens]: ‖H_l ⋯ H_1‖₂, per token
    private long[]? _tokenShape;      // the leading shape of this forward pass
    private long _n;
    private int _nextDepth;

    /// <summary>Registers forward hooks on <paramref name="modules"/>, named in depth order (the order the forward pass runs them).</summary>
    public MixerProbe(torch.nn.Module model, IEnumerable<string> modules)
    {
        _modules = modules.ToArray();
        if (_modules.Length == 0) throw new ArgumentException("name at least one module that outputs mixing matrices [..., n, n].", nameof(modules));
        var repeated = _modules.GroupBy(m => m, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (repeated is not null) throw new ArgumentException($"module '{repeated.Key}' is named twice; name each mixer module once, in depth order.", nameof(modules));
        _statistics = _modules.Select(_ => new MixerTokenStatistics()).ToArray();
        var named = model.named_modules().ToDictionary(m => m.name, m => m.module, StringComparer.Ordinal);
        try
        {
            for (int depth = 0; depth < _modules.Length; depth++)
            {
                string name = _modules[depth];
                if (name.Length == 0 || !named.TryGetValue(name, out var module))
                    throw new ArgumentException($"model has no module '{name}'; it has: {string.Join(", ", named.Keys.Where(k => k.Length > 0).Take(20))}.");
                if (module is not torch.nn.Module<torch.Tensor, torch.Tensor> hookable)
                    throw new ArgumentException($"module '{name}' is not a Module<Tensor, Tensor>; mixers are read from single-tensor modules.");
                int d = depth;
                var hook = hookable.register_forward_hook((_, _, output) =>
                {
                    Observe(d, output);
                    return output;
                });
                _removeHooks.Add(hook.remove);
            }
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>Runs <paramref name="model"/> once on <paramref name="batch"/> (no gradients, through <c>call</c>) and returns one layer per module, in the order named.</summary>
    public static IReadOnlyList<LayerSignature> Capture(torch.nn.Module<torch.Tensor, torch.Tensor> model, torch.Tensor batch, params string[] modules)
    {
        using var probe = new MixerProbe(model, modules);
        using (torch.no_grad())
        using (torch.NewDisposeScope())
            model.call(batch);
        return probe.Layers();
    }

    /// <summary>Tokens the module has mixed so far.</summary>
    public long Tokens(string module) => _statistics[Array.IndexOf(_modules, module)].Tokens;

    /// <summary>Throws <see cref="HooksNeverFiredException"/> naming every probed module that captured nothing (it ran through <c>forward</c>, not <c>call</c>).</summary>
    public void EnsureEveryHookFired()
    {
        var silent = _modules.Where((_, d) => _statistics[d].Tokens == 0).ToList();
        if (silent.Count > 0) throw new HooksNeverFiredException(silent, "mixer probe");
    }

    /// <summary>One layer <c>probe:mixer/{module}</c> per module, in the order named.</summary>
    public IReadOnlyList<LayerSignature> Layers()
    {
        EnsureEveryHookFired();
        long tokens = _statistics[0].Tokens;
        for (int d = 1; d < _modules.Length; d++)
            if (_statistics[d].Tokens != tokens)
                throw new InvalidOperationException(
                    $"mixer probe: module '{_modules[d]}' mixed {_statistics[d].Tokens} tokens but '{_modules[0]}' mixed {tokens}: a forward pass stopped before "
                    + "reaching every named module, so the composite gain is not defined for every token.");
        return _modules.Select((name, d) => new LayerSignature
        {
            Name = Prefix + name,
            Shape = [_n, _n],
            Kind = LayerKind.Mixer,
            Metrics = _statistics[d].Metrics(),
            Labels = [],
        }).ToList();
    }

    private void Observe(int depth, torch.Tensor output)
    {
        string name = _modules[depth];
        if (depth == 0 && (_nextDepth == 0 || _nextDepth == _modules.Length)) _nextDepth = 0;
        else if (depth != _nextDepth)
            throw new InvalidOperationException(
                $"mixer probe: module '{name}' ran where '{_modules[_nextDepth % _modules.Length]}' was next: name the mixer modules in depth order "
                + $"({string.Join(", ", _modules.Select(m => $"'{m}'"))} as named), each run once per forward pass, so the product H_l ⋯ H_1 follows the model.");

        if (output.dim() < 2 || output.shape[^1] != output.shape[^2] || output.shape[^1] == 0 || output.numel() == 0)
            throw new ArgumentException($"mixer probe: module '{name}' output has shape [{string.Join(", ", output.shape)}]; a mixer output is [..., n, n], square in its last two axes.");
        if (output.shape[^1] > MaxStreams)
            throw new ArgumentException(
                $"mixer probe: module '{name}' output has shape [{string.Join(", ", output.shape)}], so {output.shape[^1]} streams; hyper-connection mixers "
                + $"mix a few (n = 4 in the papers; at most {MaxStreams} here): is '{name}' the module that outputs H_res?");
        if (output.numel() > Array.MaxLength)
            throw new ArgumentException($"mixer probe: module '{name}' output holds {output.numel()} values, more than one batch can be read at once; probe a smaller batch.");
        int n = (int)output.shape[^1];
        long[] tokenShape = output.shape[..^2];
        if (_n == 0) _n = n;
        else if (n != _n)
            throw new ArgumentException($"mixer probe: module '{name}' mixes {n} streams but '{_modules[0]}' mixed {_n}; every named module must output the same n × n mixers.");
        if (depth == 0) _tokenShape = tokenShape;
        else if (!tokenShape.SequenceEqual(_tokenShape!))
            throw new ArgumentException(
                $"mixer probe: module '{name}' output has leading shape [{string.Join(", ", tokenShape)}] but '{_modules[0]}' had [{string.Join(", ", _tokenShape!)}] "
                + "in the same forward pass; the composite gain multiplies the mixers token by token, so every module must cover the same tokens.");

        double[] mixers;
        using (torch.NewDisposeScope())
            mixers = output.detach().to(torch.ScalarType.Float64).cpu().contiguous().data<double>().ToArray();
        int size = n * n, tokens = mixers.Length / size;
        int broken = 0;
        for (int t = 0; t < tokens; t++)
            for (int k = t * size; k < (t + 1) * size; k++)
                if (!double.IsFinite(mixers[k]))
                {
                    broken++;
                    break;
                }
        if (broken > 0) throw new ArgumentException($"mixer probe: module '{name}' output holds NaN or infinity in {broken} of {tokens} tokens.");

        // The product is carried renormalised, Q = P / ‖P‖₂, with ‖P‖₂ as a float64 factor: ‖H P‖ = ‖H Q‖·‖P‖, and the
        // entries of Q stay of order 1 however deep the stack, so they neither overflow nor underflow.
        var direction = depth == 0 ? new double[mixers.Length] : _direction!;
        var gain = depth == 0 ? new double[tokens] : _gain!;
        var product = new double[size];
        var scratch = new double[size];
        var statistics = _statistics[depth];
        for (int t = 0; t < tokens; t++)
        {
            var h = mixers.AsSpan(t * size, size);
            var q = direction.AsSpan(t * size, size);
            double spectralNorm = SmallSpectralNorm.Of(h, n, scratch);
            double norm;
            if (depth == 0)
            {
                h.CopyTo(product);
                norm = spectralNorm;
                gain[t] = norm;
            }
            else
            {
                for (int i = 0; i < n; i++)
                    for (int j = 0; j < n; j++)
                    {
                        double sum = 0;
                        for (int k = 0; k < n; k++) sum += h[i * n + k] * q[k * n + j];
                        product[i * n + j] = sum;
                    }
                norm = SmallSpectralNorm.Of(product, n, scratch);
                gain[t] *= norm;
            }
            double scale = norm > 0 ? 1 / norm : 1;
            for (int k = 0; k < size; k++) q[k] = product[k] * scale;
            statistics.Add(h, n, spectralNorm, gain[t]);
        }
        _direction = direction;
        _gain = gain;
        _nextDepth = depth + 1;
    }

    public void Dispose()
    {
        foreach (var remove in _removeHooks) remove();
        _removeHooks.Clear();
        _direction = null;
        _gain = null;
    }
}
