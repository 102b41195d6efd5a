using SpectralGate.Engine.Signatures;
using SpectralGate.Engine.Runtime;
using SpectralGate.Engine.Snapshots;
using SpectralGate.Engine.Sources;
using Spectre.Console;

namespace SpectralGate.Cli.Rendering;

/// <summary>Computes a signature with a progress bar on standard error when it is a terminal outside CI (the library's detector, so CI=false is not CI); silently otherwise.</summary>
internal static class ProgressDisplay
{
    public static SpectralSignature Run(ITensorSource source, SignatureOptions options) =>
        Track(source.Tensors.Count(), progress => SpectralEngine.Compute(source, options, progress));

    /// <summary>Runs <paramref name="compute"/> with a bar over <paramref name="total"/> tensors (an indeterminate one when unknown), or with no progress at all when it would not be seen.</summary>
    public static T Track<T>(int? total, Func<IProgress<SignatureProgress>?, T> compute)
    {
        if (Console.IsErrorRedirected || ContinuousIntegration.IsDetected)
            return compute(null);

        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        T result = default!;
        console.Progress().AutoClear(true).Start(context =>
        {
            var task = context.AddTask("spectra", maxValue: Math.Max(1, total ?? 1));
            task.IsIndeterminate = total is null;
            result = compute(new SynchronousProgress(task));
        });
        return result;
    }

    /// <summary>Progress&lt;T&gt; posts to the thread pool; the bar needs the value now.</summary>
    private sealed class SynchronousProgress(ProgressTask task) : IProgress<SignatureProgress>
    {
        public void Report(SignatureProgress value)
        {
            if (!task.IsIndeterminate) task.Value = value.TensorsDone;
            task.Description = Markup.Escape($"{value.TensorsDone} {Shorten(value.LastTensor)}");
        }

        private static string Shorten(string name) => name.Length <= 40 ? name : "…" + name[^39..];
    }
}
