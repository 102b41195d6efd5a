using SpectralGate.Engine.Errors;
using SpectralGate.Engine.Signatures;
using SpectralGate.Engine.Sources;
using SpectralGate.Engine.Sources.Safetensors;
using SpectralGate.Engine.Tests.Sources;
using SpectralGate.Tests.Support;

namespace SpectralGate.Engine.Tests.Signatures;

/// <summary><c>--shard i/n</c> and merge: the parts of a split run join into the bytes of a single run.</summary>
public class ShardAndMergeTests
{
    private static string Model()
    {
        var random = new Random(5);
        float[] Values(int n) => Enumerable.Range(0, n).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        return SafetensorsFixtures.Write(
        [
            SafetensorsWriter.Float32("blocks.0.fc1.weight", [48, 32], Values(48 * 32)),
            SafetensorsWriter.Float32("blocks.0.fc2.weight", [32, 48], Values(48 * 32)),
            SafetensorsWriter.Float32("blocks.1.fc1.weight", [64, 32], Values(64 * 32)),
            SafetensorsWriter.Float32("blocks.1.fc2.weight", [32, 64], Values(64 * 32)),
            SafetensorsWriter.Float32("blocks.10.conv.weight", [16, 8, 3, 3], Values(16 * 8 * 9)),
            SafetensorsWriter.Float32("blocks.0.fc1.bias", [48], Values(48)),
            SafetensorsWriter.Float32("head.weight", [10, 32], Values(320)),
        ]);
    }

    private static SpectralSignature Compute(string path, ShardSpec? shard)
    {
        using var source = new SafetensorsFileSource(path);
        return SpectralEngine.Compute(source, new SignatureOptions { Shard = shard });
    }

    [TestCase(1)]
    [TestCase(2)]
    [TestCase(3)]
    [TestCase(9)]
    public void TheMergedShardsAreTheBytesOfASingleRun(int count)
    {
        string model = Model();
        byte[] single = SignatureJson.ToBytes(Compute(model, null));

        var parts = Enumerable.Range(1, count).Reverse().Select(i => ($"part{i}.json", Compute(model, new ShardSpec(i, count)))).ToList();
        byte[] merged = SignatureJson.ToBytes(SignatureMerge.Merge(parts));

        Assert.That(merged, Is.EqualTo(single));
    }

    [Test]
    public void EachShardComputesOnlyItsShareAndSaysWhichItIs()
    {
        string model = Model();
        var first = Compute(model, new ShardSpec(1, 2));
        var second = Compute(model, new ShardSpec(2, 2));

        Assert.That(first.Settings[ShardSpec.SettingsKey], Is.EqualTo("1/2"));
        Assert.That(first.Layers.Select(l => l.Name).Intersect(second.Layers.Select(l => l.Name)), Is.Empty);
        Assert.That(first.Layers, Is.Not.Empty);
        Assert.That(second.Layers, Is.Not.Empty);
    }

    [Test]
    public void ThePlanBalancesTheGramWorkAndIgnoresTheOrderOfTheHeader()
    {
        // Costs (elements × smaller side): 4 × 2048²·5632 and 8 × 256²·2048; two shards should get two big ones each.
        var big = Enumerable.Range(0, 4).Select(i => Entry($"mlp.{i}", 2048, 5632));
        var small = Enumerable.Range(0, 8).Select(i => Entry($"attn.{i}", 256, 2048));
        var entries = big.Concat(small).ToList();

        var plan = ShardPlan.Assign(entries, 2);
        var reversed = ShardPlan.Assign(Enumerable.Reverse(entries), 2);

        Assert.That(reversed, Is.EquivalentTo(plan));
        Assert.That(plan.Count(p => p.Key.StartsWith("mlp.", StringComparison.Ordinal) && p.Value == 1), Is.EqualTo(2));
        Assert.That(plan.Count(p => p.Key.StartsWith("attn.", StringComparison.Ordinal) && p.Value == 1), Is.EqualTo(4));
    }

    [TestCase("0/2")]
    [TestCase("3/2")]
    [TestCase("1/0")]
    [TestCase("1")]
    [TestCase("a/b")]
    [TestCase("-1/2")]
    [TestCase("1/99999")]
    public void ABadShardIsRefused(string text) =>
        Assert.That(() => ShardSpec.Parse(text), Throws.ArgumentException.With.Message.Contains(text));

    [Test]
    public void AMissingShardIsNamed()
    {
        string model = Model();
        var parts = new[] { ("a.json", Compute(model, new ShardSpec(1, 3))), ("c.json", Compute(model, new ShardSpec(3, 3))) };

        Assert.That(() => SignatureMerge.Merge(parts), Throws.ArgumentException.With.Message.Contains("2/3"));
    }

    [Test]
    public void ARepeatedShardIsRefused()
    {
        string model = Model();
        var part = Compute(model, new ShardSpec(1, 2));

        Assert.That(() => SignatureMerge.Merge([("a.json", part), ("b.json", part)]),
            Throws.TypeOf<BaselineFormatException>().With.Message.Contains("b.json").And.Message.Contains("a.json"));
    }

    [Test]
    public void AWholeSignatureIsNotAShard()
    {
        var whole = Compute(Model(), null);

        Assert.That(() => SignatureMerge.Merge([("whole.json", whole)]),
            Throws.TypeOf<BaselineFormatException>().With.Message.Contains("whole.json").And.Message.Contains("not a shard"));
    }

    [Test]
    public void ShardsOfDifferentModelsOrSettingsAreRefused()
    {
        string model = Model();
        var one = Compute(model, new ShardSpec(1, 2));
        var other = Compute(Model(), new ShardSpec(2, 2));
        using var source = new SafetensorsFileSource(model);
        var float32 = SpectralEngine.Compute(source, new SignatureOptions { Shard = new ShardSpec(2, 2), Precision = global::SpectralGate.Engine.Spectra.SpectrumPrecision.Float32 });

        Assert.That(() => SignatureMerge.Merge([("one.json", one), ("other.json", other)]),
            Throws.TypeOf<BaselineFormatException>().With.Message.Contains("another model"));
        Assert.That(() => SignatureMerge.Merge([("one.json", one), ("f32.json", float32)]),
            Throws.TypeOf<BaselineFormatException>().With.Message.Contains("other settings"));
    }

    private static TensorEntry Entry(string name, long rows, long cols) => new PlanEntry(name, [rows, cols]);

    private sealed class PlanEntry(string name, long[] shape) : TensorEntry(name, shape, TensorDType.Float32, "F32")
    {
        public override TorchSharp.torch.Tensor Load(TorchSharp.torch.Device device, TorchSharp.torch.ScalarType computeType) => throw new NotSupportedException();
    }
}
