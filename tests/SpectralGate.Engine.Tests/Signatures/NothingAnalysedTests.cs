using SpectralGate.Tests.Support;
using SpectralGate.Engine.Errors;
using SpectralGate.Engine.Signatures;
using SpectralGate.Engine.Sources;
using SpectralGate.Engine.Sources.Onnx;
using SpectralGate.Engine.Sources.Onnx.Proto;
using SpectralGate.Engine.Sources.Safetensors;
using SpectralGate.Engine.Tests.Sources;
using SpectralGate.Engine.Tests.Sources.Onnx;
using DataType = SpectralGate.Engine.Sources.Onnx.Proto.TensorProto.Types.DataType;

namespace SpectralGate.Engine.Tests.Signatures;

/// <summary>A model of which nothing was analysed is an error naming the file and the skip reasons, never an empty pass.</summary>
public class NothingAnalysedTests
{
    private static string OnlyBiasesAndNorms() => SafetensorsFixtures.Write(
        SafetensorsWriter.Float32("fc.bias", [16], SafetensorsFixtures.Ramp(16)),
        SafetensorsWriter.Float32("norm.weight", [16], SafetensorsFixtures.Ramp(16)),
        SafetensorsWriter.Float32("head.weight", [2, 16], SafetensorsFixtures.Ramp(32)));

    private static string OnlyUndecodableQuantizedWeights()
    {
        var graph = new GraphProto();
        graph.Initializer.Add(OnnxQuantizedFixtures.Integers("fc.weight_quantized", DataType.Int8, [16, 16], new int[256]));
        graph.Node.Add(OnnxQuantizedFixtures.Node("DequantizeLinear", ["fc.weight_quantized", "scale_from_an_input"], "fc.weight"));
        return OnnxFixtures.Write(graph);
    }

    [Test]
    public void OnlyBiasesNormsAndTinyHeadsIsNothingAnalysed()
    {
        string path = OnlyBiasesAndNorms();
        using var source = new SafetensorsFileSource(path);

        var e = Assert.Throws<NothingAnalysedException>(() => SpectralEngine.Compute(source))!;

        Assert.That(e.FilePath, Is.EqualTo(path));
        Assert.That(e.Message, Does.StartWith(path).And.Contain("0 layers from 3 tensors").And.Contain("2 x 1-D tensor").And.Contain("1 x smaller side 2 is below the minimum 8"));
    }

    [Test]
    public void UndecodableQuantizedWeightsAreNothingAnalysedWithTheirReason()
    {
        string path = OnlyUndecodableQuantizedWeights();
        using var source = new OnnxModelSource(path);

        var e = Assert.Throws<NothingAnalysedException>(() => SpectralEngine.Compute(source))!;

        Assert.That(e.Message, Does.Contain("DequantizeLinear scale 'scale_from_an_input' is not a constant of the model"));
    }

    [Test]
    public void ASelectionThatMatchesNothingIsNothingAnalysed()
    {
        string path = SafetensorsFixtures.Write(SafetensorsWriter.Float32("fc.weight", [16, 12], SafetensorsFixtures.Ramp(192)));
        using var source = new SafetensorsFileSource(path);
        var options = new SignatureOptions { Selection = new TensorSelection { Include = ["decoder.*"] } };

        var e = Assert.Throws<NothingAnalysedException>(() => SpectralEngine.Compute(source, options))!;

        Assert.That(e.Message, Does.Contain("nothing analysed for the include glob 'decoder.*'").And.Contain("fc.weight"));
    }

    [Test]
    public void AnEmptyModelIsNothingAnalysed()
    {
        string path = SafetensorsFixtures.Write();
        using var source = new SafetensorsFileSource(path);

        Assert.That(() => SpectralEngine.Compute(source), Throws.TypeOf<NothingAnalysedException>().With.Message.Contains("holds no tensors"));
    }

    [Test]
    public void AShardWithNothingIsFineButAMergeOfNothingIsNot()
    {
        string path = OnlyBiasesAndNorms();
        using var source = new SafetensorsFileSource(path);
        var parts = Enumerable.Range(0, 2)
            .Select(i => SpectralEngine.Compute(source, new SignatureOptions { Shard = new ShardSpec(i + 1, 2) }))
            .ToList();

        Assert.That(parts.Sum(p => p.Layers.Count), Is.Zero);
        Assert.That(() => SignatureMerge.Merge(parts.Select((p, i) => ($"part{i}.json", p)).ToList()), Throws.TypeOf<NothingAnalysedException>());
    }

    [Test]
    public void TheCliExitsWithTwoAndTheGateReportsSg1008()
    {
        string model = OnlyBiasesAndNorms();

        var inspect = CliRunner.Run("inspect", model);
        var check = CliRunner.Run("check", model, "--baseline", Path.Combine(Path.GetDirectoryName(model)!, "model.spectral.json"));

        Assert.That(inspect.ExitCode, Is.EqualTo(2));
        Assert.That(inspect.Error, Does.StartWith($"error: {model}: nothing analysed"));
        Assert.That(check.ExitCode, Is.EqualTo(2));
        Assert.That(check.Output, Does.Contain("error SG1014").And.Contain("nothing analysed"));
    }
}
