using System.IO.Compression;
using SpectralGate.Engine.Errors;
using SpectralGate.Engine.Signatures;
using SpectralGate.Engine.Sources;
using SpectralGate.Engine.Sources.MlNet;
using SpectralGate.Engine.Sources.Onnx;
using SpectralGate.Engine.Sources.Onnx.Proto;
using SpectralGate.Engine.Sources.TorchSharp;
using SpectralGate.Engine.Tests.Sources.Onnx;
using SpectralGate.Tests.Support;

namespace SpectralGate.Engine.Tests.Sources.MlNet;

/// <summary>
/// ML.NET model files built here as <c>mlContext.Model.Save</c> lays them out (dotnet/machinelearning: the chain under
/// <c>TransformerChain/</c>, one <c>Transform_NNN</c> folder per transformer with its <c>Model.key</c>; the ONNX scorer's
/// <c>OnnxModel</c> stream written by <c>WriteByteArray</c>: int32 length, then the bytes; the TorchSharp transformers'
/// <c>TSModel</c> stream written by <c>Module.save</c>).
/// </summary>
public class MlNetModelSourceTests
{
    private static string Zip(params (string Entry, byte[] Data)[] entries)
    {
        string path = Path.Combine(TestPaths.NewScratchFolder(), "model.zip");
        using (var zip = ZipFile.Open(path, ZipArchiveMode.Create))
        {
            foreach (var (name, data) in entries)
            {
                using var stream = zip.CreateEntry(name).Open();
                stream.Write(data);
            }
        }
        return path;
    }

    private static byte[] Key => "ML.NET model header"u8.ToArray();

    private static byte[] LengthPrefixed(byte[] bytes, int? claimed = null) => [.. BitConverter.GetBytes(claimed ?? bytes.Length), .. bytes];

    private static string OnnxModel()
    {
        var graph = new GraphProto { Name = "g" };
        graph.Initializer.Add(OnnxFixtures.Float("fc1.weight", [24, 16], OnnxFixtures.Ramp(24 * 16).Select((v, i) => v * MathF.Sin(i)).ToArray()));
        graph.Initializer.Add(OnnxFixtures.Float("fc2.weight", [16, 12], OnnxFixtures.Ramp(16 * 12).Select((v, i) => v * MathF.Cos(i * 0.7f)).ToArray()));
        return OnnxFixtures.Write(graph);
    }

    private static void AssertSameSignature(SpectralSignature inner, SpectralSignature zipped, string prefix)
    {
        Assert.Multiple(() =>
        {
            Assert.That(zipped.Layers.Select(l => l.Name), Is.EqualTo(inner.Layers.Select(l => prefix + l.Name)));
            foreach (var layer in inner.Layers)
            {
                var other = zipped.Layer(prefix + layer.Name)!;
                Assert.That(other.Metrics, Is.EqualTo(layer.Metrics), layer.Name);
                Assert.That(other.Fingerprint, Is.EqualTo(layer.Fingerprint), layer.Name);
            }
            Assert.That(zipped.Model.Format, Is.EqualTo("mlnet"));
        });
    }

    [Test]
    public void AZipHoldingAnOnnxTransformHasTheOnnxModelsSignature()
    {
        string onnx = OnnxModel();
        string zip = Zip(("TransformerChain/Model.key", Key), ("TransformerChain/Transform_000/Model.key", Key),
            ("TransformerChain/Transform_001/Model.key", Key), ("TransformerChain/Transform_001/OnnxModel", LengthPrefixed(File.ReadAllBytes(onnx))),
            ("Schema/Model.key", Key));

        using var inner = new OnnxModelSource(onnx);
        using var zipped = ModelSources.Open(zip);

        Assert.That(zipped, Is.InstanceOf<MlNetModelSource>());
        AssertSameSignature(SpectralEngine.Compute(inner), SpectralEngine.Compute(zipped), "Transform_001/");
    }

    [Test]
    public void AZipHoldingATorchSharpTransformHasTheModulesSignature()
    {
        string dat = Path.Combine(TestPaths.NewScratchFolder(), "model.dat");
        TinyModels.NewMlp().save(dat);
        // Entries as a model saved on Windows by older ML.NET name them.
        string zip = Zip(("TransformerChain\\Model.key", Key), ("TransformerChain\\Transform_000\\Model.key", Key), ("TransformerChain\\Transform_000\\TSModel", File.ReadAllBytes(dat)));

        using var inner = new TorchSharpCheckpointSource(dat);
        using var zipped = ModelSources.Open(zip);

        AssertSameSignature(SpectralEngine.Compute(inner), SpectralEngine.Compute(zipped), "Transform_000/");
    }

    [Test]
    public void AChainWithOnlyATreeModelIsAnErrorSayingNothingSpectralIsInIt()
    {
        string zip = Zip(("TransformerChain/Model.key", Key), ("TransformerChain/Transform_000/Model.key", Key), ("TransformerChain/Transform_000/Predictor/Model.key", Key));

        var error = Assert.Throws<ModelFormatException>(() => ModelSources.Open(zip).Dispose());
        var cli = CliRunner.Run("inspect", zip);

        Assert.Multiple(() =>
        {
            Assert.That(error!.FilePath, Is.EqualTo(zip));
            Assert.That(error.Message, Does.Contain("nothing spectral").And.Contain("Transform_000"));
            Assert.That(cli.ExitCode, Is.EqualTo(2), cli.Output + cli.Error);
        });
    }

    [TestCase(10)]
    [TestCase(-3)]
    public void AnOnnxStreamWhoseLengthPrefixLiesIsAnErrorNamingTheEntry(int offBy)
    {
        byte[] onnx = File.ReadAllBytes(OnnxModel());
        string zip = Zip(("TransformerChain/Model.key", Key), ("TransformerChain/Transform_000/OnnxModel", LengthPrefixed(onnx, onnx.Length + offBy)));

        var error = Assert.Throws<ModelFormatException>(() => ModelSources.Open(zip).Dispose());

        Assert.Multiple(() =>
        {
            Assert.That((error!.FilePath, error.Layer), Is.EqualTo((zip, "TransformerChain/Transform_000/OnnxModel")));
            Assert.That(error.Message, Does.Contain("length prefix"));
        });
    }

    [Test]
    public void ATorchSaveArchiveIsStillATorchSaveArchive()
    {
        string zip = Zip(("archive/data.pkl", [0x80, 0x02, 0x7d, 0x71, 0x00, 0x2e]));

        Assert.That(MlNetModelSource.IsModelZip(zip), Is.False);
    }
}
