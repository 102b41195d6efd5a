namespace HyperConnections;

/// <summary>Everything that decides a run; two runs with equal settings give the same losses and mixers (single-threaded CPU).</summary>
public sealed record HyperConnectionSettings
{
    public MixerVariant Variant { get; init; } = MixerVariant.Unconstrained;

    /// <summary>n, the residual streams.</summary>
    public int Streams { get; init; } = 4;

    public int Width { get; init; } = 16;

    public int Heads { get; init; } = 2;

    /// <summary>Hyper-connected sublayers, attention and MLP in turn: the depth of the mixer product.</summary>
    public int Blocks { get; init; } = 6;

    /// <summary>Sinkhorn-Knopp iterations of the mHC variant, 20 as in the paper (fewer leave the row sums off once the mixers sharpen).</summary>
    public int SinkhornIterations { get; init; } = 20;

    public int Vocabulary { get; init; } = 16;

    public int Tokens { get; init; } = 12;

    public int BatchSize { get; init; } = 16;

    public double LearningRate { get; init; } = 1e-2;

    public double WeightDecay { get; init; } = 0.0;

    public int Steps { get; init; } = 150;

    /// <summary>Seeds the initial weights; the batches have their own seed.</summary>
    public long Seed { get; init; } = 1;

    public long DataSeed { get; init; } = 0;

    /// <summary>Seeds the fixed batch the mixers are read on (not trained on).</summary>
    public long CalibrationSeed { get; init; } = 99;

    public int CalibrationBatchSize { get; init; } = 8;

    /// <summary>The callback is called, and the batch loss kept, every this many steps (and at step 0 and the last step).</summary>
    public int EvaluateEvery { get; init; } = 50;

    /// <summary>The same run with mHC's Sinkhorn-projected mixers.</summary>
    public HyperConnectionSettings Constrained() => this with { Variant = MixerVariant.Sinkhorn };
}
