namespace Grokking;

/// <summary>The settings of the sample's run, found by the search in the README: memorises by ~110 steps, groks at ~1000.</summary>
public static class GrokkingSample
{
    /// <summary>(a + b) mod 47, 60 % of the pairs trained on, width 128, full-batch AdamW lr 3e-3 with weight decay 1, 1,600 steps.</summary>
    public static readonly GrokkingSettings Settings = new()
    {
        Modulus = 47,
        Operation = ModularOperation.Add,
        TrainFraction = 0.6,
        Embedding = 32,
        Width = 128,
        Activation = HiddenActivation.Relu,
        LearningRate = 3e-3,
        WeightDecay = 1.0,
        Steps = 1600,
        Seed = 1,
    };

    /// <summary>The monitor's cheap record every 20 steps (80 records over the run).</summary>
    public const int RecordEvery = 20;
}
