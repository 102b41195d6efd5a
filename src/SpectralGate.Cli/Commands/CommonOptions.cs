using System.CommandLine;
using SpectralGate.Engine.Errors;
using SpectralGate.Engine.Runtime;

namespace SpectralGate.Cli.Commands;

/// <summary>The global <c>--verbose</c> option, and the mapping of errors to exit codes (the computation options: <see cref="SignatureOptionSet"/>).</summary>
internal static class CommonOptions
{
    public static readonly Option<bool> Verbose = new("--verbose", "-v")
    {
        Description = "Print stack traces with errors.",
        Recursive = true,
    };

    /// <summary>Runs a command body, turning input errors into exit code 2 with a one-line message (and a stack trace with --verbose).</summary>
    public static int Run(ParseResult parse, Func<int> body)
    {
        try
        {
            return body();
        }
        catch (Exception e) when (e is DeviceUnavailableException or MemoryExhaustedException or SpectrumComputationException || TorchRuntimeLoadFailure.Describes(e))
        {
            // Not the input's fault: this machine (or this build of the tool) cannot compute the spectra.
            Console.Error.WriteLine(TorchRuntimeLoadFailure.Describes(e)
                ? $"error: spectralgate cannot load libtorch on this machine ({TorchRuntimeLoadFailure.Describe(e)}). {SpectralGate.Engine.Gate.ToolInstallHint.Text}"
                : $"error: {e.Message}");
            if (parse.GetValue(Verbose)) Console.Error.WriteLine(e);
            return ExitCodes.CannotRun;
        }
        catch (Exception e) when (e is SpectralGateException or ArgumentException or IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            if (parse.GetValue(Verbose)) Console.Error.WriteLine(e);
            return ExitCodes.BadInput;
        }
    }
}
