using SpectralAssert.Assertions;
using SpectralGate.Engine.Signatures;
using SpectralGate.Engine.Trajectories;
using SpectralGate.Engine.Trajectories.Statistics;

namespace SpectralAssert.Trajectories;

/// <summary>What a check sees of one series: the trajectory, the row (layer, aggregate or scalar), its defined points in the window, the metric.</summary>
internal sealed record SeriesContext(Trajectory Trajectory, SeriesRow Row, DefinedSeries Series, string Metric);

/// <summary>
/// A test applied to each series, described as its expectation ("to end in [2, 6]"). <paramref name="Scale"/> divides
/// each layer's values first (the μP band); <paramref name="Windowed"/> says whether <c>.After(step)</c> may narrow it.
/// </summary>
internal sealed record SeriesCheck(string Expectation, Func<SeriesContext, LayerVerdict> Apply, Func<LayerSignature, double>? Scale = null, bool Windowed = true);
