using SpectralGate.Engine.Signatures;
using SpectralGate.Engine.Sources;
using Spectre.Console;

namespace SpectralGate.Cli.Rendering;

/// <summary>Computes a signature with a progress bar on standard error when it is a terminal; silently otherwise (CI logs stay clean).</summary>
internal static class ProgressDisplay
{
    public static SpectralSignature Run(ITensorSource source, SignatureOptions options)
    {
        if (Console.IsErrorRedirected || Environment.GetEnvironmentVariable("CI") is not null)
            return SpectralEngine.Compute(source, options);

        int total = source.Tensors.Count();
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        SpectralSignature? signature = null;
        console.Progress().AutoClear(true).Start(context =>
        {
            var task = context.AddTask("spectra", maxValue: Math.Max(1, total));
            signature = SpectralEngine.Compute(source, options, new SynchronousProgress(task));
        });
        return signature!;
    }

    /// <summary>Progress&lt;T&gt; posts to the thread pool; the bar needs the value now.</summary>
    private sealed class SynchronousProgress(ProgressTask task) : IProgress<SignatureProgress>
    {
        public void Report(SignatureProgress value)
        {
            task.Value = value.TensorsDone;
            task.Description = Markup.Escape(Shorten(value.LastTensor));
        }

        private static string Shorten(string name) => name.Length <= 40 ? name : "…" + name[^39..];
    }
}
