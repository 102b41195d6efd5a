namespace SpectralGate.Engine.Sources.Gguf;

/// <summary>A ggml tensor type as GGUF stores it (ggml.h <c>enum ggml_type</c>), with its block layout.</summary>
/// <param name="Id">The <c>GGML_TYPE_*</c> number.</param>
/// <param name="Name">ggml's name (<c>ggml_type_name</c>).</param>
/// <param name="BlockSize">Elements per block (<c>ggml_blck_size</c>).</param>
/// <param name="TypeSize">Bytes per block (<c>ggml_type_size</c>).</param>
/// <param name="Decoded">Whether <see cref="GgmlDequantizer"/> turns it into floats; the others are listed as skipped.</param>
public sealed record GgmlType(int Id, string Name, int BlockSize, int TypeSize, bool Decoded)
{
    // Sizes from ggml-common.h (block_* structs) and ggml.c type_traits; QK_K = 256.
    private static readonly GgmlType[] Known =
    [
        new(0, "F32", 1, 4, true),
        new(1, "F16", 1, 2, true),
        new(2, "Q4_0", 32, 18, true),
        new(3, "Q4_1", 32, 20, true),
        new(6, "Q5_0", 32, 22, true),
        new(7, "Q5_1", 32, 24, true),
        new(8, "Q8_0", 32, 34, true),
        new(9, "Q8_1", 32, 36, false),
        new(10, "Q2_K", 256, 84, true),
        new(11, "Q3_K", 256, 110, true),
        new(12, "Q4_K", 256, 144, true),
        new(13, "Q5_K", 256, 176, true),
        new(14, "Q6_K", 256, 210, true),
        new(15, "Q8_K", 256, 292, false),
        new(16, "IQ2_XXS", 256, 66, false),
        new(17, "IQ2_XS", 256, 74, false),
        new(18, "IQ3_XXS", 256, 98, false),
        new(19, "IQ1_S", 256, 50, false),
        new(20, "IQ4_NL", 32, 18, false),
        new(21, "IQ3_S", 256, 110, false),
        new(22, "IQ2_S", 256, 82, false),
        new(23, "IQ4_XS", 256, 136, false),
        new(24, "I8", 1, 1, false),
        new(25, "I16", 1, 2, false),
        new(26, "I32", 1, 4, false),
        new(27, "I64", 1, 8, false),
        new(28, "F64", 1, 8, true),
        new(29, "IQ1_M", 256, 56, false),
        new(30, "BF16", 1, 2, true),
        new(34, "TQ1_0", 256, 54, false),
        new(35, "TQ2_0", 256, 66, false),
        new(39, "MXFP4", 32, 17, false),
        new(40, "NVFP4", 64, 36, false),
        new(41, "Q1_0", 128, 18, false),
        new(42, "Q2_0", 64, 18, false),
    ];

    private static readonly Dictionary<int, GgmlType> ById = Known.ToDictionary(t => t.Id);

    /// <summary>The type with this id, or null for ids ggml has removed or never had (a file with one is refused).</summary>
    public static GgmlType? FromId(uint id) => id <= int.MaxValue && ById.TryGetValue((int)id, out var t) ? t : null;

    public static GgmlType ByName(string name) => Known.Single(t => t.Name == name);

    /// <summary>Bytes of <paramref name="elements"/> values (a whole number of blocks), or null when it overflows.</summary>
    public long? ByteCount(long elements)
    {
        long blocks = elements / BlockSize;
        return blocks > long.MaxValue / TypeSize ? null : blocks * TypeSize;
    }
}
