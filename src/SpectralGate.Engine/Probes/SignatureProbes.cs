using SpectralGate.Engine.Names;
using SpectralGate.Engine.Signatures;

namespace SpectralGate.Engine.Probes;

/// <summary>Adds probe sections to a signature, so baselines, assertions and the gate treat them like weight layers.</summary>
public static class SignatureProbes
{
    public static SpectralSignature WithProbes(this SpectralSignature signature, IEnumerable<LayerSignature> probeLayers)
    {
        var layers = signature.Layers.Concat(probeLayers).ToList();
        var duplicate = layers.GroupBy(l => l.Name).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw new ArgumentException($"layer '{duplicate.Key}' appears twice.");
        layers.Sort((a, b) => NaturalNameComparer.Instance.Compare(a.Name, b.Name));
        return new SpectralSignature { FormatVersion = signature.FormatVersion, Model = signature.Model, Settings = signature.Settings, Layers = layers, Skipped = signature.Skipped, Coverage = signature.Coverage };
    }
}
