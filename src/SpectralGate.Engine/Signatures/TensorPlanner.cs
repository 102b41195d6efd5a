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
    private readonly LayerKindMap _kinds;

    /// <summary>A planner for <paramref name="tensors"/>; with a shard, the whole list is dealt (<see cref="ShardPlan"/>) first.</summary>
    /// <param name="tensors">Every tensor of the source.</param>
    /// <param name="selection">Which tensors are asked for.</param>
    /// <param name="shard">This process's shard, or null for all.</param>
    /// <param name="kinds">Kinds stated over the name rule (<see cref="LayerKindRules"/>); null for none.</param>
    public TensorPlanner(IEnumerable<TensorEntry> tensors, TensorSelection selection, ShardSpec? shard, LayerKindMap? kinds = null)
    {
        _kinds = kinds ?? LayerKindMap.Empty;
        _selection = selection;
        _shard = shard;
        _shards = shard is null ? null : ShardPlan.Assign(tensors, shard.Count);
    }

    /// <summary>True when the signature is one shard's part, which may hold no layer at all.</summary>
    public bool IsSharded => _shard is not null;

    /// <summary>Whether the tensor is analysed here, and its kind: stated by a kind map or its module, else by the name rule.</summary>
    public TensorPlan Plan(TensorEntry entry)
    {
        LayerKind? stated = LayerKindRules.Stated(entry, _kinds);
        LayerKind kind = stated ?? LayerKinds.Classify(entry.Name, entry.Shape);
        if (_shards is not null && _shards[entry.Name] != _shard!.Index) return new TensorPlan(new TensorSkip(SkipKind.OtherShard, "other shard"), kind);
        TensorSkip? skip = _selection.Skip(entry, LayerKindRules.RowAxis(entry, kind))
            ?? (LayerKindRules.LayoutSkipReason(entry, stated) is { } layout ? new TensorSkip(SkipKind.UnknownLayout, layout) : null);
        return new TensorPlan(skip, kind);
    }

    /// <summary>Null when the tensor is analysed here, else why not.</summary>
    public TensorSkip? Skip(TensorEntry entry) => Plan(entry).Skip;
}
