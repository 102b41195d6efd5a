using System.Globalization;
using System.Text.Json;
using SpectralGate.Engine.Baselines;
using SpectralGate.Engine.Matrices;
using SpectralGate.Engine.Signatures;

namespace SpectralGate.Engine.Tests.Signatures;

/// <summary>
/// What a committed JSON file says, read from its text by the test itself (System.Text.Json's DOM, numbers parsed from
/// their raw text), to check what the product's readers make of a file an earlier release wrote. Nothing here goes
/// through the product's readers or writers.
/// </summary>
internal static class WrittenJson
{
    // The kind names as the format's documentation spells them (docs/layer-kinds.md), for the kinds the fixtures hold.
    private static readonly Dictionary<string, LayerKind> Kinds = new(StringComparer.Ordinal)
    {
        ["linear"] = LayerKind.Linear, ["conv"] = LayerKind.Conv, ["embedding"] = LayerKind.Embedding,
    };

    public static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", "compat", name);

    public static JsonElement Root(string path)
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(path));
        return document.RootElement.Clone();
    }

    public static double Number(JsonElement e) => double.Parse(e.GetRawText(), NumberStyles.Float, CultureInfo.InvariantCulture);

    public static double? NumberOrNull(JsonElement e) => e.ValueKind == JsonValueKind.Null ? null : Number(e);

    public static long[] Longs(JsonElement e) => [.. e.EnumerateArray().Select(x => long.Parse(x.GetRawText(), CultureInfo.InvariantCulture))];

    public static string[] Strings(JsonElement e) => [.. e.EnumerateArray().Select(x => x.GetString()!)];

    /// <summary>Each layer as written: name, kind, shape, labels, every metric (a number or null) and, where written, ESD quantiles and fingerprint.</summary>
    public static void AssertLayers(IReadOnlyList<LayerSignature> read, JsonElement layers, string where)
    {
        var written = layers.EnumerateArray().ToList();
        Assert.That(read.Select(l => l.Name), Is.EqualTo(written.Select(l => l.GetProperty("name").GetString())), $"{where}: layer names in order");
        for (int i = 0; i < written.Count; i++)
        {
            var (layer, text) = (read[i], written[i]);
            string at = $"{where}, layer '{layer.Name}'";
            string kind = text.GetProperty("kind").GetString()!;
            Assert.That(Kinds, Contains.Key(kind), $"{at}: a kind this test does not know; add it to WrittenJson.Kinds");
            Assert.That(layer.Kind, Is.EqualTo(Kinds[kind]), at);
            Assert.That(layer.Shape, Is.EqualTo(Longs(text.GetProperty("shape"))), at);
            Assert.That(layer.Labels, Is.EqualTo(Strings(text.GetProperty("labels"))), at);
            var metrics = text.GetProperty("metrics").EnumerateObject().ToList();
            Assert.That(metrics, Is.Not.Empty, at);
            Assert.That(layer.Metrics.Keys, Is.EquivalentTo(metrics.Select(m => m.Name)), $"{at}: metric names");
            foreach (var m in metrics)
                Assert.That(layer.Metrics[m.Name], Is.EqualTo(NumberOrNull(m.Value)), $"{at}: {m.Name}");
            if (text.TryGetProperty("esd_quantiles", out var quantiles))
                Assert.That(layer.EsdQuantiles, Is.EqualTo(quantiles.EnumerateArray().Select(Number).ToArray()), $"{at}: esd_quantiles");
            else
                Assert.That(layer.EsdQuantiles, Is.Null, at);
            Assert.That(layer.Fingerprint, Is.EqualTo(text.TryGetProperty("fingerprint", out var f) ? f.GetString() : null), $"{at}: fingerprint");
        }
    }

    public static void AssertSettings(IReadOnlyDictionary<string, string> read, JsonElement settings, string where) =>
        Assert.That(read, Is.EquivalentTo(settings.EnumerateObject().Select(p => new KeyValuePair<string, string>(p.Name, p.Value.GetString()!))), $"{where}: settings");

    /// <summary>A signature file's sections: version, model, settings, layers, skipped tensors, and the summary's counts and means.</summary>
    public static void AssertSignature(SpectralSignature read, JsonElement root, string where)
    {
        Assert.That(read.FormatVersion, Is.EqualTo(root.GetProperty("format_version").GetInt32()), where);
        var model = root.GetProperty("model");
        Assert.That(read.Model, Is.EqualTo(new ModelInfo(model.GetProperty("path").GetString()!, model.GetProperty("format").GetString()!,
            model.GetProperty("sha256").GetString()!, model.GetProperty("parameter_count").GetInt64())), $"{where}: model");
        AssertSettings(read.Settings, root.GetProperty("settings"), where);
        AssertLayers(read.Layers, root.GetProperty("layers"), where);
        var skipped = root.GetProperty("skipped").EnumerateArray().ToList();
        Assert.That(read.Skipped.Select(s => (s.Name, s.Reason, string.Join("x", s.Shape))),
            Is.EqualTo(skipped.Select(s => (s.GetProperty("name").GetString(), s.GetProperty("reason").GetString(), string.Join("x", Longs(s.GetProperty("shape")))))),
            $"{where}: skipped tensors");

        // The summary is derived: the means this release computes from the layers read agree with those written.
        var summary = root.GetProperty("summary");
        Assert.That(read.Layers, Has.Count.EqualTo(summary.GetProperty("layer_count").GetInt32()), $"{where}: summary.layer_count");
        Assert.That(read.Skipped, Has.Count.EqualTo(summary.GetProperty("skipped_count").GetInt32()), $"{where}: summary.skipped_count");
        var means = read.MetricMeans();
        var written = summary.GetProperty("metric_means").EnumerateObject().ToList();
        Assert.That(means.Keys, Is.EquivalentTo(written.Select(m => m.Name)), $"{where}: summary.metric_means");
        foreach (var m in written)
            Assert.That(means[m.Name], Is.EqualTo(Number(m.Value)).Within(1e-6).Percent, $"{where}: summary.metric_means.{m.Name} (the layers and the mean each written to 10 digits)");
    }

    /// <summary>A baseline's tolerances section: each rule in order, and each recorded default.</summary>
    public static void AssertTolerances(RecordedTolerances read, JsonElement tolerances, string where)
    {
        Assert.That(read.Rules, Is.EqualTo(tolerances.GetProperty("rules").EnumerateArray().Select(r => new ToleranceRule(
            r.GetProperty("layers").GetString()!, r.GetProperty("metric").GetString()!, new Tolerance(Number(r.GetProperty("atol")), Number(r.GetProperty("rtol")))))),
            $"{where}: tolerance rules");
        Assert.That(read.Defaults, Is.EquivalentTo(tolerances.GetProperty("defaults").EnumerateObject().Select(d => new KeyValuePair<string, Tolerance>(
            d.Name, new Tolerance(Number(d.Value.GetProperty("atol")), Number(d.Value.GetProperty("rtol")))))), $"{where}: default tolerances");
        Assert.That(read.Rules.Count + read.Defaults.Count, Is.GreaterThan(0), $"{where}: a tolerances section with nothing in it");
    }
}
