using System.IO.Compression;
using System.Text;

namespace SpectralGate.Tests.Support;

/// <summary>
/// Writes what <c>torch.save(state_dict, path)</c> writes (torch/serialization.py, <c>_save</c>): a zip of stored
/// entries <c>archive/data.pkl</c> (pickle protocol 2: an OrderedDict of <c>_rebuild_tensor_v2</c> calls on
/// persistent-id storages), <c>archive/data/KEY</c> per storage, <c>archive/byteorder</c> and <c>archive/version</c>.
/// </summary>
internal static class TorchSaveWriter
{
    /// <summary>A storage: <paramref name="ClassName"/> is torch's (<c>FloatStorage</c>, <c>HalfStorage</c>, ...).</summary>
    public sealed record Storage(string Key, string ClassName, byte[] Bytes, long ElementCount);

    public sealed record View(Storage Storage, long Offset, long[] Size, long[] Stride);

    /// <summary>A contiguous view of a whole storage.</summary>
    public static View Contiguous(Storage storage, params long[] size)
    {
        var stride = new long[size.Length];
        long s = 1;
        for (int i = size.Length - 1; i >= 0; i--) { stride[i] = s; s *= size[i]; }
        return new View(storage, 0, size, stride);
    }

    public static Storage Float32(string key, float[] values) => new(key, "FloatStorage", values.SelectMany(BitConverter.GetBytes).ToArray(), values.Length);

    /// <summary>The pickle of an OrderedDict whose values are <see cref="View"/>s or nested lists of pairs (nested dicts).</summary>
    public static byte[] Pickle(IReadOnlyList<KeyValuePair<string, object>> root)
    {
        var p = new PickleBuilder();
        Dict(p, root);
        // A state dict's _metadata attribute, set with BUILD as OrderedDict.__reduce__ asks.
        p.Op('}').Put().Str("_metadata").Op('}').Put().Op('s').Op('b');
        return p.Stop();
    }

    private static void Dict(PickleBuilder p, IReadOnlyList<KeyValuePair<string, object>> items)
    {
        p.Global("collections", "OrderedDict").Op(')').Op('R').Put();
        p.Op('(');
        foreach (var (key, value) in items)
        {
            p.Str(key);
            if (value is View v) Tensor(p, v);
            else Dict(p, (IReadOnlyList<KeyValuePair<string, object>>)value);
        }
        p.Op('u');
    }

    private static void Tensor(PickleBuilder p, View v)
    {
        p.Global("torch._utils", "_rebuild_tensor_v2");
        p.Op('(');
        p.Op('(').Str("storage").Global("torch", v.Storage.ClassName).Str(v.Storage.Key).Str("cpu").Int(v.Storage.ElementCount).Op('t').Put();
        p.Op('Q');
        p.Int(v.Offset).Ints(v.Size).Ints(v.Stride);
        p.Raw(0x89); // requires_grad False
        p.Global("collections", "OrderedDict").Op(')').Op('R').Put(); // backward_hooks
        p.Op('t').Put().Op('R').Put();
    }

    public static string Write(string path, IReadOnlyList<KeyValuePair<string, object>> root, IEnumerable<Storage> storages) =>
        WriteRaw(path, Pickle(root), storages);

    /// <summary>An archive with this exact pickle, for hostile cases.</summary>
    public static string WriteRaw(string path, byte[] pickle, IEnumerable<Storage> storages, string archive = "archive")
    {
        using (var zip = ZipFile.Open(path, ZipArchiveMode.Create))
        {
            Add(zip, $"{archive}/data.pkl", pickle);
            Add(zip, $"{archive}/byteorder", Encoding.ASCII.GetBytes("little"));
            foreach (var s in storages.DistinctBy(s => s.Key)) Add(zip, $"{archive}/data/{s.Key}", s.Bytes);
            Add(zip, $"{archive}/version", Encoding.ASCII.GetBytes("3\n"));
        }
        return path;
    }

    private static void Add(ZipArchive zip, string name, byte[] bytes)
    {
        using var stream = zip.CreateEntry(name, CompressionLevel.NoCompression).Open();
        stream.Write(bytes);
    }
}
