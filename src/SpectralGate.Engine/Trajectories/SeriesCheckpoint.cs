namespace SpectralGate.Engine.Trajectories;

/// <summary>One checkpoint of a series (<see cref="CheckpointSeries"/>): the model file to open and the training step it was saved at.</summary>
/// <param name="Path">The model file (for a Hugging Face <c>checkpoint-N/</c> folder, the model file inside it), as found.</param>
/// <param name="Step">The step read from <paramref name="StepName"/>.</param>
/// <param name="StepName">The name the step was read from: the file's name, or its checkpoint folder's.</param>
public sealed record SeriesCheckpoint(string Path, long Step, string StepName);
