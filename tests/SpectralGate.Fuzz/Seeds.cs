using System.Text;
using SpectralGate.Engine.Baselines;
using SpectralGate.Engine.Signatures;
using SpectralGate.Engine.Sources.Safetensors;
using TorchSharp;

namespace SpectralGate.Fuzz;

/// <summary>Valid starting inputs for afl-fuzz, one folder per target, written from C# (the hostile corpus is added by fuzz.sh).</summary>
internal static class Seeds
{
    public static byte[] SmallSafetensors() => SafetensorsWriter.ToBytes(
    [
        SafetensorsWriter.Float32("layer.weight", [12, 8], Ramp(96)),
        SafetensorsWriter.BFloat16("head.weight", [8, 12], Ramp(96)),
    ]);

    public static void Write(string folder)
    {
        Directory.CreateDirectory(Path.Combine(folder, "safetensors"));
        File.WriteAllBytes(Path.Combine(folder, "safetensors", "small.safetensors"), SmallSafetensors());

        Directory.CreateDirectory(Path.Combine(folder, "index"));
        File.WriteAllText(Path.Combine(folder, "index", "small.safetensors.index.json"),
            """{"metadata":{"total_size":576},"weight_map":{"layer.weight":"model-00001-of-00001.safetensors","head.weight":"model-00001-of-00001.safetensors"}}""");

        Directory.CreateDirectory(Path.Combine(folder, "torchsharp"));
        using (var linear = torch.nn.Linear(8, 12))
            linear.save(Path.Combine(folder, "torchsharp", "linear.dat"));

        Directory.CreateDirectory(Path.Combine(folder, "onnx"));
        File.WriteAllBytes(Path.Combine(folder, "onnx", "small.onnx"), OnnxSeed.Bytes());
        File.WriteAllBytes(Path.Combine(folder, "onnx", "quantized.onnx"), QuantizedOnnxSeed.Bytes());

        CheckpointSeeds.Write(folder);
        QuantizedSeeds.Write(folder);

        // An ML.NET model as mlContext.Model.Save lays it out: an ONNX transform (int32 length + ONNX) and a TorchSharp one.
        Directory.CreateDirectory(Path.Combine(folder, "mlnet"));
        using (var zip = System.IO.Compression.ZipFile.Open(Path.Combine(folder, "mlnet", "model.zip"), System.IO.Compression.ZipArchiveMode.Create))
        {
            byte[] onnx = OnnxSeed.Bytes();
            using (var s = zip.CreateEntry("TransformerChain/Transform_000/OnnxModel").Open()) { s.Write(BitConverter.GetBytes(onnx.Length)); s.Write(onnx); }
            string dat = Path.Combine(folder, "torchsharp", "linear.dat");
            using (var s = zip.CreateEntry("TransformerChain/Transform_001/TSModel").Open()) s.Write(File.ReadAllBytes(dat));
        }

        Directory.CreateDirectory(Path.Combine(folder, "baseline"));
        string model = Path.Combine(folder, "safetensors", "small.safetensors");
        using var source = new SafetensorsFileSource(model);
        var signature = SpectralEngine.Compute(source);
        File.WriteAllBytes(Path.Combine(folder, "baseline", "small.spectral.json"), BaselineFile.ToBytes(signature, new TolerancePolicy().For("blocks.*", "alpha", 0.05, 0.02)));

        Directory.CreateDirectory(Path.Combine(folder, "trajectory"));
        var trajectory = new SpectralGate.Engine.Trajectories.Trajectory
        {
            Settings = signature.Settings,
            Records =
            [
                new() { Step = 0, Source = "ckpt/step-0.safetensors", Sha256 = signature.Model.Sha256, Layers = signature.Layers },
                new() { Step = 10, Source = "live", Tier = SpectralGate.Engine.Trajectories.TrajectoryTiers.Cheap, Layers = signature.Layers, Scalars = new SortedDictionary<string, double> { ["train_loss"] = 0.5 } },
            ],
        };
        File.WriteAllBytes(Path.Combine(folder, "trajectory", "small.trajectory.json"), SpectralGate.Engine.Trajectories.TrajectoryJson.ToBytes(trajectory));
    }

    private static float[] Ramp(int n) => Enumerable.Range(0, n).Select(i => MathF.Sin(i * 0.7f) + (i % 5) * 0.1f).ToArray();
}
