namespace SpectralGate.Engine.Signatures;

/// <summary>Reported after each tensor: how many of the model's tensors are done, and which one was last.</summary>
public readonly record struct SignatureProgress(int TensorsDone, string LastTensor);
