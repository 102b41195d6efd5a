using System.CommandLine;
using SpectralGate.Engine.Runtime;
using SpectralGate.Cli;
using SpectralGate.Cli.Commands;

TorchHugePages.Request(); // before the first tensor: libtorch reads the switch once

var root = SpectralGateCommand.Create();

ParseResult parse = root.Parse(args);
if (parse.Errors.Count > 0)
{
    foreach (var error in parse.Errors) Console.Error.WriteLine($"spectralgate: {error.Message}");
    Console.Error.WriteLine("Run 'spectralgate --help' for usage.");
    return ExitCodes.BadInput;
}
return parse.Invoke();
