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

    private readonly string[] _modules;
    private readonly MixerTokenStatistics[] _statistics;
    private readonly List<Action> _removeHooks = [];
    private torch.Tensor? _direction; // [tokens, n, n]: H_l ⋯ H_1 / its spectral norm, per token
    private torch.Tensor? _gain;      // [tokens]: ‖H_l ⋯ H_1‖₂, per token
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
        long n = output.shape[^1];
        long[] tokenShape = output.shape[..^2];
        if (_n == 0) _n = n;
        else if (n != _n)
            throw new ArgumentException($"mixer probe: module '{name}' mixes {n} streams but '{_modules[0]}' mixed {_n}; every named module must output the same n × n mixers.");
        if (depth == 0) _tokenShape = tokenShape;
        else if (!tokenShape.SequenceEqual(_tokenShape!))
            throw new ArgumentException(
                $"mixer probe: module '{name}' output has leading shape [{string.Join(", ", tokenShape)}] but '{_modules[0]}' had [{string.Join(", ", _tokenShape!)}] "
                + "in the same forward pass; the composite gain multiplies the mixers token by token, so every module must cover the same tokens.");

        using (var scope = torch.NewDisposeScope())
        {
            var mixers = output.detach().to(torch.ScalarType.Float64).cpu().reshape(-1, n, n);
            if (!torch.isfinite(mixers).all().item<bool>())
            {
                long bad = (~torch.isfinite(mixers)).flatten(1).any(1).sum().item<long>();
                throw new ArgumentException($"mixer probe: module '{name}' output holds NaN or infinity in {bad} of {mixers.shape[0]} tokens.");
            }
            var spectralNorms = torch.linalg.svdvals(mixers).select(-1, 0);
            torch.Tensor product, gain;
            if (depth == 0)
            {
                product = mixers;
                gain = torch.ones(mixers.shape[0], dtype: torch.ScalarType.Float64);
            }
            else
            {
                product = mixers.matmul(_direction!);
                gain = _gain!;
            }
            // Renormalised each step so the product neither overflows nor underflows: ‖H P‖ = ‖H Q‖·‖P‖ for Q = P/‖P‖.
            var norm = depth == 0 ? spectralNorms : torch.linalg.svdvals(product).select(-1, 0);
            var composite = gain * norm;
            var direction = product / torch.where(norm > 0, norm, torch.ones_like(norm)).reshape(-1, 1, 1);
            _statistics[depth].Add(mixers, spectralNorms, composite);
            Replace(ref _direction, direction.DetachFromDisposeScope());
            Replace(ref _gain, composite.DetachFromDisposeScope());
        }
        _nextDepth = depth + 1;
    }

    // The running product outlives the hook's scope (a training loop's or the caller's), so it is detached and disposed here.
    private static void Replace(ref torch.Tensor? held, torch.Tensor next)
    {
        if (!ReferenceEquals(held, next)) held?.Dispose();
        held = next;
    }

    public void Dispose()
    {
        foreach (var remove in _removeHooks) remove();
        _removeHooks.Clear();
        _direction?.Dispose();
        _gain?.Dispose();
        _direction = null;
        _gain = null;
    }
}
