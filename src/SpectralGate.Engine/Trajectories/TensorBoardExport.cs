namespace SpectralGate.Engine.Trajectories;

/// <summary>What <see cref="TrajectoryTensorBoard"/> wrote.</summary>
/// <param name="Path">The event file.</param>
/// <param name="Steps">Events written, one per recorded step.</param>
/// <param name="Values">Scalars written over all steps (one per tag and step).</param>
/// <param name="Undefined">Metric values left out because they are undefined at their step (alpha of a layer too small to fit): gaps in the curves.</param>
public sealed record TensorBoardExport(string Path, int Steps, int Values, int Undefined);
