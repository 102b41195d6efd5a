namespace SpectralGate.Engine.Trajectories.Statistics;

/// <summary>How the layers' values at one step become one value, when an assertion asks for an aggregate.</summary>
public enum LayerAggregate
{
    Mean,
    Median,
}

/// <summary>
/// Names of the aggregates for messages. Aggregates hide which layer moved (WeightWatcher #307's "average alpha"
/// confusion), so assertions use them only when asked and say so.
/// </summary>
public static class LayerAggregates
{
    public static string Describe(LayerAggregate aggregate) => aggregate == LayerAggregate.Mean ? "mean" : "median";
}
