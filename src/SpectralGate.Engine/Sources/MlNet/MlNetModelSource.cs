using System.Buffers.Binary;
using System.IO.Compression;
using SpectralGate.Engine.Errors;
using SpectralGate.Engine.Sources.Onnx;
using SpectralGate.Engine.Sources.TorchSharp;
using TorchSharp;

namespace SpectralGate.Engine.Sources.MlNet;

/// <summary>
/// An ML.NET model file (<c>mlContext.Model.Save</c>: a zip whose transformers sit under <c>TransformerChain/</c>, one
/// folder <c>Transform_NNN</c> each, dotnet/machinelearning <c>TransformerChain.cs</c>, <c>ModelSaveContext.SaveBinaryStream</c>).
/// Its spectral transformers are read as the models they carry: <c>OnnxModel</c> (the ONNX scorer, OnnxTransform.cs:
/// <c>WriteByteArray</c>, an int32 length then the ONNX bytes, Utilities/Stream.cs) and <c>TSModel</c> (the TorchSharp
/// transformers: <c>Module.save</c> bytes). Layers are named after their transform: <c>Transform_003/fc1.weight</c>.
/// A chain with no such stream (trees, linear models) is an error saying so, never an empty pass.
/// </summary>
public sealed class MlNetModelSource : ITensorSource
{
    private const string Chain = "TransformerChain/";
    private readonly string _path;
    private readonly string _scratch;
    private readonly List<(string Prefix, ITensorSource Source)> _parts = [];

    public MlNetModelSource(string path)
    {
        _path = path;
        _scratch = Path.Combine(Path.GetTempPath(), "sg-mlnet-" + Guid.NewGuid().ToString("N"));
        try
        {
            using var zip = OpenZip(path);
            var transforms = new SortedSet<string>(StringComparer.Ordinal);
            foreach (var entry in zip.Entries.OrderBy(e => Normalise(e.FullName), StringComparer.Ordinal))
            {
                string name = Normalise(entry.FullName);
                if (!name.StartsWith(Chain, StringComparison.Ordinal)) continue;
                string inChain = name[Chain.Length..];
                int slash = inChain.LastIndexOf('/');
                if (slash < 0) continue;
                string folder = inChain[..slash], stream = inChain[(slash + 1)..];
                transforms.Add(folder);
                if (stream is not ("OnnxModel" or "TSModel")) continue;
                Directory.CreateDirectory(_scratch);
                string file = Path.Combine(_scratch, $"{_parts.Count}{(stream == "OnnxModel" ? ".onnx" : ".dat")}");
                Extract(entry, name, file, lengthPrefixed: stream == "OnnxModel");
                _parts.Add((folder, Open(file, name, stream)));
            }
            if (_parts.Count == 0)
                throw new ModelFormatException(path, null, transforms.Count == 0
                    ? "is a zip without an ML.NET TransformerChain."
                    : $"is an ML.NET model with nothing spectral in it: its transforms ({string.Join(", ", transforms.Select(t => t.Split('/')[0]).Distinct())}) hold no "
                      + "OnnxModel or TSModel stream (trees, linear models and featurizers have no weight matrices to analyse).");
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>True when <paramref name="path"/> is a zip holding a <c>TransformerChain/</c> folder.</summary>
    public static bool IsModelZip(string path)
    {
        try
        {
            using var zip = ZipFile.OpenRead(path);
            return zip.Entries.Any(e => Normalise(e.FullName).StartsWith(Chain, StringComparison.Ordinal));
        }
        catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    public string Description => _path;

    public string Format => "mlnet";

    public IEnumerable<TensorEntry> Tensors =>
        _parts.SelectMany(p => p.Source.Tensors.Select(e => (TensorEntry)new Entry(this, p.Prefix + "/" + e.Name, e)));

    public string ComputeSha256() => FileSha256.Of(_path);

    public bool HashesFilesIndependently => true;

    public void Dispose()
    {
        foreach (var (_, source) in _parts) source.Dispose();
        _parts.Clear();
        try { if (Directory.Exists(_scratch)) Directory.Delete(_scratch, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    // Models saved on Windows by older ML.NET versions name entries with backslashes.
    private static string Normalise(string entryName) => entryName.Replace('\\', '/');

    private static ZipArchive OpenZip(string path)
    {
        try { return ZipFile.OpenRead(path); }
        catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            throw new ModelFormatException(path, null, $"is not a readable zip archive: {e.Message}", e);
        }
    }

    /// <summary>Copies a stream to <paramref name="file"/>; an ONNX stream's int32 length must be exactly the bytes that follow.</summary>
    private void Extract(ZipArchiveEntry entry, string name, string file, bool lengthPrefixed)
    {
        try
        {
            using var input = entry.Open();
            using var output = new FileStream(file, FileMode.CreateNew, FileAccess.Write);
            long expected = -1;
            if (lengthPrefixed)
            {
                Span<byte> prefix = stackalloc byte[4];
                if (input.ReadAtLeast(prefix, 4, throwOnEndOfStream: false) != 4)
                    throw new ModelFormatException(_path, name, "is shorter than its 4-byte length prefix.");
                expected = BinaryPrimitives.ReadInt32LittleEndian(prefix);
                if (expected < 0 || expected != entry.Length - 4)
                    throw new ModelFormatException(_path, name, $"length prefix says {expected} bytes, but {entry.Length - 4} follow it.");
            }
            var buffer = new byte[1 << 16];
            long copied = 0;
            int read;
            while ((read = input.Read(buffer)) > 0)
            {
                copied += read;
                if (expected >= 0 && copied > expected) throw new ModelFormatException(_path, name, $"holds more than the {expected} bytes its length prefix says.");
                output.Write(buffer, 0, read);
            }
            if (expected >= 0 && copied != expected) throw new ModelFormatException(_path, name, $"length prefix says {expected} bytes, but {copied} follow it.");
        }
        catch (InvalidDataException e)
        {
            throw new ModelFormatException(_path, name, $"cannot be decompressed: {e.Message}", e);
        }
    }

    // The inner model's errors name the zip and the entry, not the scratch copy.
    private ITensorSource Open(string file, string name, string stream)
    {
        try
        {
            return stream == "OnnxModel" ? new OnnxModelSource(file) : new TorchSharpCheckpointSource(file);
        }
        catch (ModelFormatException e)
        {
            throw new ModelFormatException(_path, e.Layer ?? name, $"{name}: {e.Problem}", e);
        }
    }

    private sealed class Entry(MlNetModelSource owner, string name, TensorEntry inner) : TensorEntry(name, inner.Shape, inner.DType, inner.StoredDType)
    {
        public override string? UndecodableReason => inner.UndecodableReason;

        public override string? Quantization => inner.Quantization;

        public override string? QuantizationParameterOf => inner.QuantizationParameterOf is { } p ? Name[..(Name.Length - inner.Name.Length)] + p : null;

        public override IReadOnlyList<string> ModuleTypes => inner.ModuleTypes;

        public override torch.Tensor Load(torch.Device device, torch.ScalarType computeType)
        {
            try { return inner.Load(device, computeType); }
            catch (ModelFormatException e) { throw new ModelFormatException(owner._path, Name, e.Problem, e); }
        }
    }
}
