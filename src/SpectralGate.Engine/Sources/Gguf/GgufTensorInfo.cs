namespace SpectralGate.Engine.Sources.Gguf;

/// <summary>
/// One tensor as a GGUF header describes it. <paramref name="Dimensions"/> is GGUF's <c>ne[]</c> (fastest-varying
/// first); <paramref name="Shape"/> is the same reversed, our row-major <c>[rows, cols]</c> (a PyTorch
/// <c>[out, in]</c> weight is <c>ne = [in, out]</c>). <paramref name="Offset"/> is absolute in the file.
/// </summary>
public sealed record GgufTensorInfo(string Name, long[] Dimensions, long[] Shape, GgmlType Type, long Offset, long ByteCount);
