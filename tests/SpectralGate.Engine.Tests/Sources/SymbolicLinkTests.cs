using SpectralGate.Engine.Signatures;
using SpectralGate.Engine.Sources;
using SpectralGate.Engine.Sources.Onnx.Proto;
using SpectralGate.Engine.Sources.Safetensors;
using SpectralGate.Engine.Tests.Sources.Onnx;
using SpectralGate.Tests.Support;
using TorchSharp;

namespace SpectralGate.Engine.Tests.Sources;

/// <summary>
/// Every format read through symbolic links as a Hugging Face cache lays them out: <c>snapshots/rev/*</c> links to
/// <c>blobs/*</c>, each of another name. The signature must be the one of the files themselves.
/// </summary>
public class SymbolicLinkTests
{
    /// <summary>Moves each file into blobs/ under a hash-like name and leaves a link of its own name in its place.</summary>
    private static void ReplaceByLinks(string folder, params string[] files)
    {
        string blobs = Path.Combine(Path.GetDirectoryName(folder)!, "blobs");
        Directory.CreateDirectory(blobs);
        foreach (string file in files)
        {
            string blob = Path.Combine(blobs, Guid.NewGuid().ToString("N"));
            File.Move(Path.Combine(folder, file), blob);
            File.CreateSymbolicLink(Path.Combine(folder, file), blob);
        }
    }

    private static SpectralSignature Signature(string path)
    {
        using var source = ModelSources.Open(path);
        return SpectralEngine.Compute(source);
    }

    private static void AssertSameThroughLinks(string folder, string model, params string[] files)
    {
        string json = SignatureJson.ToText(Signature(Path.Combine(folder, model)));
        ReplaceByLinks(folder, files);

        Assert.That(new FileInfo(Path.Combine(folder, model)).LinkTarget, Is.Not.Null);
        Assert.That(SignatureJson.ToText(Signature(Path.Combine(folder, model))), Is.EqualTo(json));
    }

    private static string Snapshot() => Directory.CreateDirectory(Path.Combine(TestPaths.NewScratchFolder(), "snapshot")).FullName;

    [Test]
    public void OnnxThroughALinkAndItsExternalDataThroughAnother()
    {
        string folder = Snapshot();
        var graph = new GraphProto();
        graph.Initializer.Add(OnnxFixtures.Float("fc1.weight", [16, 12], OnnxFixtures.Ramp(192)));
        float[] external = OnnxFixtures.Ramp(96).Select(v => v * v).ToArray();
        File.WriteAllBytes(Path.Combine(folder, "model.onnx.data"), external.SelectMany(BitConverter.GetBytes).ToArray());
        var t = new TensorProto { Name = "fc2.weight", DataType = (int)TensorProto.Types.DataType.Float, DataLocation = TensorProto.Types.DataLocation.External };
        t.Dims.AddRange([12, 8]);
        t.ExternalData.Add(new StringStringEntryProto { Key = "location", Value = "model.onnx.data" });
        graph.Initializer.Add(t);
        OnnxFixtures.Write(graph, folder);

        AssertSameThroughLinks(folder, "model.onnx", "model.onnx", "model.onnx.data");
    }

    [Test]
    public void SafetensorsThroughALink()
    {
        string folder = Snapshot();
        SafetensorsWriter.Write(Path.Combine(folder, "model.safetensors"), [SafetensorsWriter.Float32("fc.weight", [16, 12], SafetensorsFixtures.Ramp(192))]);

        AssertSameThroughLinks(folder, "model.safetensors", "model.safetensors");
    }

    [Test]
    public void AShardedCheckpointWhoseIndexAndShardsAreLinks()
    {
        string folder = Snapshot();
        SafetensorsWriter.Write(Path.Combine(folder, "model-00001-of-00002.safetensors"), [SafetensorsWriter.Float32("a.weight", [16, 12], SafetensorsFixtures.Ramp(192))]);
        SafetensorsWriter.Write(Path.Combine(folder, "model-00002-of-00002.safetensors"), [SafetensorsWriter.Float32("b.weight", [12, 16], SafetensorsFixtures.Ramp(192, 0.5f))]);
        File.WriteAllText(Path.Combine(folder, "model.safetensors.index.json"),
            """{"weight_map":{"a.weight":"model-00001-of-00002.safetensors","b.weight":"model-00002-of-00002.safetensors"}}""");

        AssertSameThroughLinks(folder, "model.safetensors.index.json", "model.safetensors.index.json", "model-00001-of-00002.safetensors", "model-00002-of-00002.safetensors");
    }

    [Test]
    public void ATorchSharpCheckpointThroughALink()
    {
        string folder = Snapshot();
        using (var linear = torch.nn.Linear(12, 16)) linear.save(Path.Combine(folder, "model.dat"));

        AssertSameThroughLinks(folder, "model.dat", "model.dat");
    }
}
