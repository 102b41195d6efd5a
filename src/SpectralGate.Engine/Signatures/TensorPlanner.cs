using SpectralGate.Engine.Matrices;
using SpectralGate.Engine.Sources;

namespace SpectralGate.Engine.Signatures;

/// <summary>
/// The plan stage: decides from a tensor's name and shape alone (nothing is read) whether this process analyses it,
/// and if not, why: another shard owns it, the selection leaves it out, or it is no matrix.
/// </summary>
public sealed class TensorPlanner
{
    private readonly TensorSelection _selection;
    private readonly ShardSpec? _shard;
    private readonly IReadOnlyDictionary<string, int>? _shards;

    /// <summary>A planner for <paramref name="tensors"/>; with a shard, the whole list is dealt (<see cref="ShardPlan"/>) first.</summary>
    public TensorPlanner(IEnumerable<TensorEntry> tensors, TensorSelection selection, ShardSpec? shard)
    {
        _selection = selection;
        _shard = shard;
        _shards = shard is null ? null : ShardPlan.Assign(tensors, shard.Count);
    }

    /// <summary>True when the signature is one shard's part, which may hold no layer at all.</summary>
    public bool IsSharded => _shard is not null;

    /// <summary>Null when the tensor is analysed here, else why not.</summary>
    public TensorSkip? Skip(TensorEntry entry)
    {
        if (_shards is not null && _shards[entry.Name] != _shard!.Index) return new TensorSkip(SkipKind.OtherShard, "other shard");
        return _selection.Skip(entry, MatrixViews.RowAxis(entry.Name, entry.Shape))
            ?? (MatrixViews.SkipReason(entry.Name, entry.Shape) is { } layout ? new TensorSkip(SkipKind.UnknownLayout, layout) : null);
    }
}
