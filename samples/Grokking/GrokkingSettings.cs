namespace Grokking;

/// <summary>Everything that decides a grokking run; two runs with equal settings give the same curves (single-threaded CPU).</summary>
public sealed record GrokkingSettings
{
    public int Modulus { get; init; } = 47;

    public ModularOperation Operation { get; init; } = ModularOperation.Add;

    /// <summary>Share of the p² pairs trained on; the rest is the held-out set.</summary>
    public double TrainFraction { get; init; } = 0.4;

    public int Embedding { get; init; } = 32;

    public int Width { get; init; } = 128;

    public HiddenActivation Activation { get; init; } = HiddenActivation.Relu;

    /// <summary>Multiplies every initial parameter (1 = TorchSharp's default init).</summary>
    public double InitScale { get; init; } = 1.0;

    public double LearningRate { get; init; } = 1e-3;

    /// <summary>AdamW's decoupled weight decay; 0 is the control that memorises and never generalises.</summary>
    public double WeightDecay { get; init; } = 1.0;

    /// <summary>Full-batch optimizer steps.</summary>
    public int Steps { get; init; } = 3000;

    /// <summary>Seeds the initial weights; the split has its own seed so that seeds vary the init over one split.</summary>
    public long Seed { get; init; } = 1;

    public long SplitSeed { get; init; } = 0;

    /// <summary>Accuracies and losses are measured every this many steps.</summary>
    public int EvaluateEvery { get; init; } = 10;

    /// <summary>The same settings without weight decay: the control.</summary>
    public GrokkingSettings Control() => this with { WeightDecay = 0 };
}
