using System.CommandLine;
using SpectralAssert.Errors;
using SpectralAssert.Sources;
using SpectralAssert.Spectra;
using SpectralAssert.Signatures;

namespace SpectralGate.Cli.Commands;

/// <summary>Options shared by the commands that compute signatures, and the mapping of errors to exit codes.</summary>
internal static class CommonOptions
{
    public static readonly Option<bool> Verbose = new("--verbose", "-v")
    {
        Description = "Print stack traces with errors.",
        Recursive = true,
    };

    public static Option<string[]> Include() => new("--include")
    {
        Description = "Analyse only tensors whose name matches this glob ('*' within a name segment, '**' across). Repeatable.",
        AllowMultipleArgumentsPerToken = false,
    };

    public static Option<string[]> Exclude() => new("--exclude")
    {
        Description = "Skip tensors whose name matches this glob. Repeatable.",
    };

    public static Option<string> Device() => new("--device")
    {
        Description = "TorchSharp device for the spectra: cpu, cuda or cuda:N.",
        DefaultValueFactory = _ => "cpu",
    };

    public static Option<string> Precision() => new Option<string>("--dtype")
    {
        Description = "Precision of the Gram matrix and its eigenvalues.",
        DefaultValueFactory = _ => "float64",
    }.AcceptOnlyFromAmong("float64", "float32");

    public static SignatureOptions ToSignatureOptions(string[]? include, string[]? exclude, string device, string precision, Action<string, double[]>? spectrumObserver = null) => new()
    {
        SpectrumObserver = spectrumObserver,
        Device = device,
        Precision = precision == "float32" ? SpectrumPrecision.Float32 : SpectrumPrecision.Float64,
        Selection = new TensorSelection { Include = include ?? [], Exclude = exclude ?? [] },
    };

    /// <summary>Runs a command body, turning input errors into exit code 2 with a one-line message (and a stack trace with --verbose).</summary>
    public static int Run(ParseResult parse, Func<int> body)
    {
        try
        {
            return body();
        }
        catch (Exception e) when (e is SpectralGateException or ArgumentException or IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            if (parse.GetValue(Verbose)) Console.Error.WriteLine(e);
            return ExitCodes.BadInput;
        }
    }
}
