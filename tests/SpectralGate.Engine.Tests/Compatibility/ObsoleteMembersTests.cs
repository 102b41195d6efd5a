using System.Buffers.Binary;
using SpectralGate.Engine.Baselines;
using SpectralGate.Engine.Gate;
using SpectralGate.Engine.Matrices;
using SpectralGate.Engine.Sources;
using SpectralGate.Engine.Sources.Safetensors;
using SpectralGate.Tests.Support;
using TorchSharp;
using static SpectralGate.Tests.Support.SafetensorsFixtures;

namespace SpectralGate.Engine.Tests.Compatibility;

// The members kept [Obsolete] so that code written against the first packages compiles once its usings name the new
// namespaces (CHANGELOG.md); each must still answer what the old member answered. They go in the next major version.
#pragma warning disable CS0618

public class ObsoleteMembersTests
{
    [TestCase(3, 5)]
    [TestCase(7, 4)]
    public void MatrixViewRowsAndColsAreTheLargerAndSmallerSide(int rows, int cols)
    {
        using var view = new MatrixView("w", LayerKind.Linear, torch.zeros(2, rows, cols));

        Assert.That(view.Rows, Is.EqualTo(Math.Max(rows, cols)));
        Assert.That(view.Cols, Is.EqualTo(Math.Min(rows, cols)));
    }

    [Test]
    public void DecodeDoubleAndDecodeSingleReadTheStoredValues()
    {
        // float16 1.5 = 0x3E00, -0.25 = 0xB400 (IEEE 754 binary16: sign, 5-bit exponent biased by 15, 10-bit fraction).
        byte[] half = new byte[4];
        BinaryPrimitives.WriteUInt16LittleEndian(half, 0x3E00);
        BinaryPrimitives.WriteUInt16LittleEndian(half.AsSpan(2), 0xB400);
        // bfloat16 is the top half of float32: -2.0f = 0xC0000000.
        byte[] bfloat = [0x00, 0xC0];
        byte[] float64 = new byte[8];
        BinaryPrimitives.WriteDoubleLittleEndian(float64, 0.1);

        Assert.That(TensorData.DecodeDouble(half, TensorDType.Float16, 2), Is.EqualTo(new[] { 1.5, -0.25 }));
        Assert.That(TensorData.DecodeSingle(bfloat, TensorDType.BFloat16, 1), Is.EqualTo(new[] { -2.0f }));
        Assert.That(TensorData.DecodeDouble(float64, TensorDType.Float64, 1), Is.EqualTo(new[] { 0.1 }));
        Assert.That(TensorData.DecodeSingle(float64, TensorDType.Float64, 1), Is.EqualTo(new[] { 0.1f }));
    }

    [Test]
    public void GateResultDeconstructsIntoItsFirstThreeParts()
    {
        var diagnostics = new[] { new GateDiagnostic("model.safetensors", 1, 1, true, "SG1001", "drifted") };
        var signature = TestSignatures.Of(TestSignatures.Layer("fc", [4, 4], ("alpha", 3.0)));
        var comparison = new SignatureComparison([], 1);
        var result = new GateResult(diagnostics, signature, comparison, Baseline: TestSignatures.Of());

        var (d, s, c) = result;

        Assert.That(d, Is.SameAs(diagnostics));
        Assert.That(s, Is.SameAs(signature));
        Assert.That(c, Is.SameAs(comparison));
    }

    [Test]
    public void ShardPathsListsTheShardFilesInWeightMapOrder()
    {
        string folder = TestPaths.NewScratchFolder();
        SafetensorsWriter.Write(Path.Combine(folder, "b.safetensors"), [SafetensorsWriter.Float32("x", [2, 2], Ramp(4))]);
        SafetensorsWriter.Write(Path.Combine(folder, "a.safetensors"), [SafetensorsWriter.Float32("y", [2, 2], Ramp(4)), SafetensorsWriter.Float32("z", [2, 2], Ramp(4))]);
        string index = Path.Combine(folder, "model.safetensors.index.json");
        File.WriteAllText(index, """{"weight_map":{"x":"b.safetensors","y":"a.safetensors","z":"a.safetensors"}}""");

        using var source = new SafetensorsShardedSource(index);

        Assert.That(source.ShardPaths, Is.EqualTo(new[] { Path.Combine(folder, "b.safetensors"), Path.Combine(folder, "a.safetensors") }));
    }
}
