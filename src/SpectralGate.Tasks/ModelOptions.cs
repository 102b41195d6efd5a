namespace SpectralGate.Tasks
{
    /// <summary>Every <c>SpectralModel</c> metadata passed to the CLI as a flag, in command-line order.</summary>
    internal static class ModelOptions
    {
        public static readonly ModelOption[] All =
        {
            ModelOption.Values("IncludeTensors", "--include", t => t.IncludeTensors),
            ModelOption.Values("ExcludeTensors", "--exclude", t => t.ExcludeTensors),
            // Not a computation option: tolerances judge a result, they do not change it.
            ModelOption.Values("Tolerances", "--tolerance", t => t.Tolerances),
            ModelOption.Value("Device", "--device", t => t.Device),
            ModelOption.Value("Precision", "--dtype", t => t.Precision),
            ModelOption.Switch("Sketch", "--sketch", t => t.Sketch),
            ModelOption.Switch("Farms", "--farms", t => t.Farms),
            ModelOption.Value("MpFit", "--mp-fit", t => t.MpFit),
            ModelOption.Value("ConvNorm", "--conv-norm", t => t.ConvNorm),
            ModelOption.Switch("CorrelationTraps", "--correlation-traps", t => t.CorrelationTraps),
            ModelOption.Values("LayerKinds", "--layer-kind", t => t.LayerKinds),
            ModelOption.Value("MinDimension", "--min-dimension", t => t.MinDimension),
            // Not computation options either: how a trajectory is compared and whether an equivalent change fails.
            ModelOption.Switch("Interpolate", "--interpolate", t => t.Interpolate),
            ModelOption.Switch("FailOnEquivalentChange", "--fail-on-equivalent-change", t => t.FailOnEquivalentChange),
        };
    }
}
