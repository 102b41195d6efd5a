using SpectralGate.Engine.Baselines;
using SpectralGate.Engine.Errors;
using SpectralGate.Engine.Signatures;
using SpectralGate.Engine.Sources;
using SpectralGate.Engine.Sources.Onnx;
using SpectralGate.Engine.Sources.Gguf;
using SpectralGate.Engine.Sources.PyTorch;
using SpectralGate.Engine.Sources.Safetensors;
using SpectralGate.Engine.Sources.TorchSharp;
using TorchSharp;

namespace SpectralGate.Fuzz;

/// <summary>
/// One fuzz target per reader. Each writes the input where the reader expects a file (the readers take paths and map
/// them), reads every tensor it declares, and then runs the engine on the small 2-D ones, so NaN, Inf and degenerate
/// matrices reach the metrics too. The documented refusal (<see cref="SpectralGateException"/>) is a pass; any other
/// exception escapes and is a crash to afl-fuzz.
/// </summary>
internal static class FuzzTargets
{
    public static readonly string[] Names = ["safetensors", "index", "onnx", "torchsharp", "baseline", "gguf", "pytorch", "mlnet", "quantized", "trajectory"];

    /// <summary>Tensors above this many elements are listed but not loaded: a fuzzer finds no more bugs in a larger copy.</summary>
    private const long MaxLoadedElements = 1 << 16;

    private static readonly string Scratch = CreateScratch();

    // One folder per process, removed when it exits (a test run starts this program many times).
    private static string CreateScratch()
    {
        string scratch = Directory.CreateTempSubdirectory("spectralgate-fuzz-").FullName;
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try { Directory.Delete(scratch, recursive: true); } catch (IOException) { }
        };
        return scratch;
    }

    public static void Run(string target, byte[] input)
    {
        try
        {
            switch (target)
            {
                case "safetensors": ReadModel(Write("model.safetensors", input), p => new SafetensorsFileSource(p)); break;
                case "index": ReadModel(WriteIndex(input), p => new SafetensorsShardedSource(p)); break;
                case "onnx": ReadModel(Write("model.onnx", input), p => new OnnxModelSource(p)); break;
                case "torchsharp": ReadModel(Write("model.dat", input), p => new TorchSharpCheckpointSource(p)); break;
                case "baseline": BaselineFile.Read(Write("model.spectral.json", input)); break;
                case "gguf": ReadModel(Write("model.gguf", input), p => new GgufModelSource(p)); break;
                case "pytorch": ReadModel(Write("pytorch_model.bin", input), p => new PyTorchCheckpointSource(p)); break;
                case "mlnet": ReadModel(Write("model.zip", input), p => new SpectralGate.Engine.Sources.MlNet.MlNetModelSource(p)); break;
                case "quantized": ReadModel(WriteQuantized(input), p => new SafetensorsFileSource(p)); break;
                case "trajectory": ReadTrajectory(Write("run.trajectory.json", input)); break;
                default: throw new ArgumentException($"unknown fuzz target '{target}'; targets: {string.Join(", ", Names)}");
            }
        }
        catch (SpectralGateException)
        {
            // The documented refusal of a bad file.
        }
    }

    // Read, then written and read back: what the reader accepts, the writer must write and the reader take again.
    private static void ReadTrajectory(string path)
    {
        var trajectory = SpectralGate.Engine.Trajectories.TrajectoryJsonReader.Read(path);
        SpectralGate.Engine.Trajectories.TrajectoryJsonReader.Parse(path, SpectralGate.Engine.Trajectories.TrajectoryJson.ToBytes(trajectory));
        _ = SpectralGate.Engine.Trajectories.TrajectoryCsv.ToText(trajectory);
    }

    private static void ReadModel(string path, Func<string, ITensorSource> open)
    {
        using var source = open(path);
        foreach (TensorEntry entry in source.Tensors)
        {
            if (entry.DType == TensorDType.Unsupported || entry.ElementCount > MaxLoadedElements) continue;
            using var scope = torch.NewDisposeScope();
            entry.Load(torch.CPU, torch.ScalarType.Float32);
        }
        // The engine over the whole source: metrics of degenerate, NaN/Inf, 0-size and 1-D tensors must not throw.
        // Inputs are small (afl-fuzz caps them at 1 MB), so every tensor the reader accepts is small too.
        SpectralEngine.Compute(source, new SignatureOptions { Precision = SpectralGate.Engine.Spectra.SpectrumPrecision.Float32 });
    }

    private static string Write(string name, byte[] input)
    {
        string path = Path.Combine(Scratch, name);
        File.WriteAllBytes(path, input);
        return path;
    }

    /// <summary>
    /// A quantized safetensors checkpoint: the input is a little-endian uint32 n, n bytes of config.json, then the
    /// safetensors file (<see cref="QuantizedSeeds.Pack"/>); a length that runs past the input takes what there is.
    /// </summary>
    private static string WriteQuantized(byte[] input)
    {
        string folder = Path.Combine(Scratch, "quantized");
        Directory.CreateDirectory(folder);
        int n = input.Length < 4 ? 0 : (int)Math.Min(BitConverter.ToUInt32(input, 0), (uint)(input.Length - 4));
        File.WriteAllBytes(Path.Combine(folder, "config.json"), input.AsSpan(Math.Min(4, input.Length), n).ToArray());
        string path = Path.Combine(folder, "model.safetensors");
        File.WriteAllBytes(path, input.AsSpan(Math.Min(4, input.Length) + n).ToArray());
        return path;
    }

    /// <summary>The input is the index JSON; next to it lies one valid shard it may name.</summary>
    private static string WriteIndex(byte[] input)
    {
        string shard = Path.Combine(Scratch, "model-00001-of-00001.safetensors");
        if (!File.Exists(shard)) File.WriteAllBytes(shard, Seeds.SmallSafetensors());
        return Write("model.safetensors.index.json", input);
    }
}
