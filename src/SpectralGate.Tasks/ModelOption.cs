using System;
using Microsoft.Build.Utilities;

namespace SpectralGate.Tasks
{
    /// <summary>
    /// A <c>SpectralModel</c> metadata that becomes a <c>spectralgate check</c> flag. The task never loads the engine, so
    /// this is its own table; ModelOptionsTests require one row per engine computation option with the same metadata,
    /// flag and arity (the engine's <c>ComputationOptions.All</c>), a task property and a targets attribute for each.
    /// </summary>
    internal sealed class ModelOption
    {
        private readonly Func<SpectralGateCheck, object?> _read;

        private ModelOption(string metadata, string flag, Func<SpectralGateCheck, object?> read)
        {
            Metadata = metadata;
            Flag = flag;
            _read = read;
        }

        /// <summary>The item metadata, which is also the task's property.</summary>
        public string Metadata { get; }

        public string Flag { get; }

        public static ModelOption Switch(string metadata, string flag, Func<SpectralGateCheck, bool> read) => new ModelOption(metadata, flag, t => read(t));

        public static ModelOption Value(string metadata, string flag, Func<SpectralGateCheck, string> read) => new ModelOption(metadata, flag, read);

        public static ModelOption Values(string metadata, string flag, Func<SpectralGateCheck, string[]> read) => new ModelOption(metadata, flag, read);

        public void AppendTo(CommandLineBuilder b, SpectralGateCheck task)
        {
            switch (_read(task))
            {
                case bool on:
                    if (on) b.AppendSwitch(Flag);
                    break;
                case string[] values:
                    foreach (string value in values) b.AppendSwitchIfNotNull(Flag + " ", value);
                    break;
                case string value:
                    if (value.Length > 0) b.AppendSwitchIfNotNull(Flag + " ", value);
                    break;
            }
        }
    }
}
