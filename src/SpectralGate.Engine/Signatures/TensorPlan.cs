using SpectralGate.Engine.Matrices;
using SpectralGate.Engine.Sources;

namespace SpectralGate.Engine.Signatures;

/// <summary>What the plan stage decided for one tensor: why it is not analysed here (null when it is), and its layer kind.</summary>
public sealed record TensorPlan(TensorSkip? Skip, LayerKind Kind);
