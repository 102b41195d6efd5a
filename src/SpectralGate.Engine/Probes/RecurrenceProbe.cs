using SpectralGate.Engine.Matrices;
using SpectralGate.Engine.Signatures;
using TorchSharp;

namespace SpectralGate.Engine.Probes;

/// <summary>
/// The transition spectrum of diagonal linear recurrences h_t = a_t ⊙ h_{t−1} + b_t in one call: a forward hook on each
/// named module, which must output the transition values a_t (a decay or forget gate: Mamba's exp(Δ·A), minGRU's or
/// GLA's gate), shape <c>[..., d]</c>, the last axis the state; every leading index is one step. Each module becomes a
/// layer <c>probe:recurrence/{module}</c> of kind <c>recurrence</c> (<see cref="TransitionSpectrum.OfDiagonal"/>).
/// <code>
/// var layers = RecurrenceProbe.Capture(model, batch, "cell.decay");
/// var signature = SpectralEngine.Compute(new ModuleSource(model)).WithProbes(layers);
/// </code>
/// </summary>
public static class RecurrenceProbe
{
    public const string Prefix = "probe:recurrence/";

    /// <summary>Runs <paramref name="model"/> once on <paramref name="batch"/> (no gradients) and reads the named modules' outputs.</summary>
    public static IReadOnlyList<LayerSignature> Capture(torch.nn.Module<torch.Tensor, torch.Tensor> model, torch.Tensor batch, params string[] modules)
    {
        if (modules.Length == 0) throw new ArgumentException("name at least one module that outputs transition values.", nameof(modules));
        var named = model.named_modules().ToDictionary(m => m.name, m => m.module, StringComparer.Ordinal);
        var outputs = new Dictionary<string, double[][]>(StringComparer.Ordinal);
        var removers = new List<Action>();
        try
        {
            foreach (string name in modules)
            {
                if (!named.TryGetValue(name, out var module) || name.Length == 0)
                    throw new ArgumentException($"model has no module '{name}'; it has: {string.Join(", ", named.Keys.Where(k => k.Length > 0).Take(20))}.");
                if (module is not torch.nn.Module<torch.Tensor, torch.Tensor> hookable)
                    throw new ArgumentException($"module '{name}' is not a Module<Tensor, Tensor>; transitions are read from single-tensor modules.");
                var hook = hookable.register_forward_hook((_, _, output) =>
                {
                    outputs[name] = Steps(name, output);
                    return output;
                });
                removers.Add(hook.remove);
            }
            using (torch.no_grad())
            using (var scope = torch.NewDisposeScope())
                model.call(batch);
        }
        finally
        {
            foreach (var remove in removers) remove();
        }

        return modules.Select(name =>
        {
            if (!outputs.TryGetValue(name, out var steps)) throw new ArgumentException($"module '{name}' did not run in the model's forward pass (hooks fire when the parent runs it with call(), not forward()).");
            int d = steps[0].Length;
            return new LayerSignature
            {
                Name = Prefix + name,
                Shape = [d, d],
                Kind = LayerKind.Recurrence,
                Metrics = TransitionSpectrum.OfDiagonal(steps),
                Labels = [],
            };
        }).ToList();
    }

    private static double[][] Steps(string name, torch.Tensor output)
    {
        if (output.dim() < 1 || output.numel() == 0) throw new ArgumentException($"module '{name}' output has shape [{string.Join(", ", output.shape)}]; transition values need [..., d].");
        using var rows = output.detach().reshape(-1, output.shape[^1]).to(torch.ScalarType.Float64).cpu();
        if (!torch.isfinite(rows).all().item<bool>()) throw new ArgumentException($"module '{name}' output holds NaN or infinity.");
        double[] flat = rows.data<double>().ToArray();
        int d = (int)rows.shape[1];
        return Enumerable.Range(0, (int)rows.shape[0]).Select(i => flat.AsSpan(i * d, d).ToArray()).ToArray();
    }
}
