namespace SpectralGate.Engine.Sources.Quantized;

/// <summary>
/// Every quantized-weight decoder, in the order they claim tensors: a tensor claimed by one is not offered to the
/// next, so the layouts a configuration names come before those recognised from dtypes alone. What looks quantized
/// but no decoder claims is listed by <see cref="QuantizedCheckpoint"/> as not decoded, never analysed.
/// </summary>
public static class QuantizedDecoders
{
    public static IReadOnlyList<IQuantizedWeightDecoder> All { get; } =
    [
        new GptqDecoder(),
        new AwqDecoder(),
        new CompressedTensorsDecoder(),
        new Nvfp4Decoder(),
        new Mxfp4Decoder(),
        new BitsAndBytesDecoder(),
        new MlxDecoder(),
        new Fp8Decoder(),
    ];
}
