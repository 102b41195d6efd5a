namespace SpectralGate.Engine.Sources.Quantized;

/// <summary>
/// One quantization layout: finds its weights among a checkpoint's tensors (which tensors make up each weight, and
/// the float weight's name and shape); each <see cref="QuantizedWeight"/> decodes itself. A decoder claims nothing it
/// does not recognise, and refuses (<see cref="Errors.ModelFormatException"/>, naming file and tensor) a weight of its
/// layout whose tensors contradict it; a valid weight it does not decode is an <see cref="UndecodedWeight"/>.
/// Decoders are listed in <see cref="QuantizedDecoders.All"/>.
/// </summary>
public interface IQuantizedWeightDecoder
{
    /// <summary>The weights of this layout among the checkpoint's unclaimed tensors.</summary>
    IEnumerable<QuantizedWeight> Find(QuantizedCheckpoint checkpoint);
}
