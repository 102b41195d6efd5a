using System.Security.Cryptography;
using SpectralGate.Engine.Errors;
using SpectralGate.Engine.Sources.Safetensors;
using SpectralGate.Tests.Support;
using static SpectralGate.Tests.Support.SafetensorsFixtures;

namespace SpectralGate.Engine.Tests.Sources;

public class SafetensorsShardedSourceTests
{
    private static string WriteSharded(string folder, string weightMapJson)
    {
        SafetensorsWriter.Write(Path.Combine(folder, "model-00001-of-00002.safetensors"), [SafetensorsWriter.Float32("a", [2, 2], Ramp(4))]);
        SafetensorsWriter.Write(Path.Combine(folder, "model-00002-of-00002.safetensors"), [SafetensorsWriter.Float32("b", [2, 3], Ramp(6)), SafetensorsWriter.Float32("c", [3], Ramp(3))]);
        string index = Path.Combine(folder, "model.safetensors.index.json");
        File.WriteAllText(index, weightMapJson);
        return index;
    }

    private const string GoodMap = """{"metadata":{"total_size":52},"weight_map":{"a":"model-00001-of-00002.safetensors","b":"model-00002-of-00002.safetensors","c":"model-00002-of-00002.safetensors"}}""";

    [Test]
    public void StreamsEveryShardInIndexOrder()
    {
        string index = WriteSharded(TestPaths.NewScratchFolder(), GoodMap);

        using var source = new SafetensorsShardedSource(index);

        Assert.That(source.Tensors.Select(t => t.Name), Is.EqualTo(new[] { "a", "b", "c" }));
    }

    [Test]
    public void Sha256CoversTheShardsInOrder()
    {
        string folder = TestPaths.NewScratchFolder();
        string index = WriteSharded(folder, GoodMap);
        byte[] all = [.. File.ReadAllBytes(Path.Combine(folder, "model-00001-of-00002.safetensors")), .. File.ReadAllBytes(Path.Combine(folder, "model-00002-of-00002.safetensors"))];

        using var source = new SafetensorsShardedSource(index);

        Assert.That(source.ComputeSha256(), Is.EqualTo(Convert.ToHexStringLower(SHA256.HashData(all))));
    }

    [TestCase("../outside.safetensors")]
    [TestCase("/etc/passwd")]
    [TestCase("sub/dir.safetensors")]
    [TestCase("..")]
    public void ShardPathsThatLeaveTheFolderAreRefused(string shard)
    {
        string index = WriteSharded(TestPaths.NewScratchFolder(), "{\"weight_map\":{\"a\":\"" + shard + "\"}}");

        var e = Assert.Throws<ModelFormatException>(() => new SafetensorsShardedSource(index));

        Assert.That(e!.Message, Does.Contain("model.safetensors.index.json").And.Contain("plain file name"));
    }

    [Test]
    public void TensorInTheWrongShardIsRefused()
    {
        string index = WriteSharded(TestPaths.NewScratchFolder(), """{"weight_map":{"a":"model-00001-of-00002.safetensors","b":"model-00001-of-00002.safetensors","c":"model-00002-of-00002.safetensors"}}""");

        using var source = new SafetensorsShardedSource(index);
        var e = Assert.Throws<ModelFormatException>(() => source.Tensors.ToList());

        Assert.That(e!.Layer, Is.EqualTo("b"));
    }

    [TestCase("{}")]
    [TestCase("""{"weight_map":[]}""")]
    [TestCase("""{"weight_map":{}}""")]
    [TestCase("""{"weight_map":{"a":3}}""")]
    [TestCase("{\"weight_map\":")]
    public void MalformedIndexIsRefused(string json)
    {
        string index = WriteSharded(TestPaths.NewScratchFolder(), json);

        Assert.Throws<ModelFormatException>(() => new SafetensorsShardedSource(index));
    }

    [Test]
    public void MissingShardNamesIt()
    {
        string folder = TestPaths.NewScratchFolder();
        string index = WriteSharded(folder, GoodMap);
        File.Delete(Path.Combine(folder, "model-00002-of-00002.safetensors"));

        using var source = new SafetensorsShardedSource(index);
        var e = Assert.Throws<ModelFormatException>(() => source.Tensors.ToList());

        Assert.That(e!.Message, Does.Contain("model-00002-of-00002.safetensors"));
    }
}
