using SpectralGate.Engine.Matrices;
using SpectralGate.Engine.Metrics;
using SpectralGate.Engine.Signatures;
using TorchSharp;

namespace SpectralGate.Engine.Probes;

/// <summary>
/// Activation spectra at named modules (NerVE, alpha-ReQ): forward hooks collect each module's output while the user
/// runs the model on a calibration set; each becomes a layer <c>probe:activations/{module}</c> with
/// <c>activation_entropy</c>, <c>participation_ratio</c>, <c>eee</c> and <c>alpha_req</c> (d ≥ 100) of the centred
/// covariance, and <c>rankme</c> of the raw (uncentred) activations, as RankMe's paper defines it. For (pre, post) pairs
/// (an FFN's up projection and its activation) the post layer also gets <c>js_divergence</c> and <c>pr_gain</c>.
/// <code>
/// using var probe = new ActivationProbe(model, ["fc1", "act1"]);
/// using (torch.no_grad()) foreach (var x in calibration) model.forward(x);
/// var signature = SpectralEngine.Compute(new ModuleSource(model)).WithProbes(probe.Layers([("fc1", "act1")]));
/// </code>
/// </summary>
public sealed class ActivationProbe : IDisposable
{
    public const string Prefix = "probe:activations/";

    private readonly Dictionary<string, StreamingCovariance> _covariances = new(StringComparer.Ordinal);
    private readonly List<Action> _removeHooks = [];

    public ActivationProbe(torch.nn.Module model, IEnumerable<string> moduleNames)
    {
        var modules = model.named_modules().ToDictionary(m => m.name, m => m.module, StringComparer.Ordinal);
        foreach (string name in moduleNames)
        {
            if (!modules.TryGetValue(name, out var module))
                throw new ArgumentException($"model has no module '{name}'; it has: {string.Join(", ", modules.Keys.Where(k => k.Length > 0).Take(20))}.");
            if (module is not torch.nn.Module<torch.Tensor, torch.Tensor> hookable)
                throw new ArgumentException($"module '{name}' is not a Module<Tensor, Tensor>; activations are captured from single-tensor modules.");
            var covariance = new StreamingCovariance();
            _covariances[name] = covariance;
            var remover = hookable.register_forward_hook((_, _, output) =>
            {
                covariance.Add(output);
                return output;
            });
            _removeHooks.Add(remover.remove);
        }
    }

    public long Tokens(string module) => _covariances[module].Count;

    /// <summary>Throws <see cref="HooksNeverFiredException"/> naming every probed module that captured nothing (it ran through <c>forward</c>, not <c>call</c>).</summary>
    public void EnsureEveryHookFired()
    {
        var silent = _covariances.Where(p => p.Value.Count == 0).Select(p => p.Key).ToList();
        if (silent.Count > 0) throw new HooksNeverFiredException(silent);
    }

    public IReadOnlyList<LayerSignature> Layers(IEnumerable<(string Pre, string Post)>? pairs = null)
    {
        var spectra = _covariances.ToDictionary(p => p.Key, p => p.Value.Eigenvalues(), StringComparer.Ordinal);
        var metrics = spectra.ToDictionary(p => p.Key, p => Metrics(p.Value, _covariances[p.Key].SingularValues()), StringComparer.Ordinal);
        foreach (var (pre, post) in pairs ?? [])
        {
            if (!spectra.ContainsKey(pre) || !spectra.ContainsKey(post)) throw new ArgumentException($"pair ({pre}, {post}) names a module that is not probed.");
            metrics[post][ProbeMetricNames.JsDivergence] = ActivationSpectrumMetrics.JensenShannon(spectra[pre], spectra[post]);
            metrics[post][ProbeMetricNames.PrGain] = metrics[post][ProbeMetricNames.ParticipationRatio] / metrics[pre][ProbeMetricNames.ParticipationRatio];
        }
        return metrics.Select(p => new LayerSignature
        {
            Name = Prefix + p.Key,
            Shape = [_covariances[p.Key].Dimension, _covariances[p.Key].Dimension],
            Kind = LayerKind.Activation,
            Metrics = p.Value,
            Labels = [],
        }).ToList();
    }

    private static SortedDictionary<string, double?> Metrics(double[] lambda, double[] singularValues) => new(StringComparer.Ordinal)
    {
        [ProbeMetricNames.RankMe] = ActivationSpectrumMetrics.RankMe(singularValues),
        [ProbeMetricNames.ActivationEntropy] = ActivationSpectrumMetrics.SpectralEntropy(lambda),
        [ProbeMetricNames.ParticipationRatio] = ActivationSpectrumMetrics.ParticipationRatio(lambda),
        [ProbeMetricNames.Eee] = ActivationSpectrumMetrics.EarlyEnrichment(lambda),
        [ProbeMetricNames.AlphaReq] = ActivationSpectrumMetrics.AlphaReq(lambda),
    };

    public void Dispose()
    {
        foreach (var remove in _removeHooks) remove();
        foreach (var c in _covariances.Values) c.Dispose();
    }
}
