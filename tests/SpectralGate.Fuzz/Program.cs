using System.Globalization;
using SharpFuzz;
using SpectralGate.Fuzz;

// Fuzz targets for SpectralGate's readers; tests/SpectralGate.Fuzz/fuzz.sh builds, instruments and runs them.
//   SpectralGate.Fuzz <target>                     under afl-fuzz: the input arrives on stdin
//   SpectralGate.Fuzz replay <target> <path>...    runs files or folders once each; exit 1 if any crashes
//   SpectralGate.Fuzz seeds <folder>               writes valid starting inputs, one folder per target
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
if (args.Length == 2 && args[0] == "seeds")
{
    Seeds.Write(args[1]);
    return 0;
}
if (args.Length >= 3 && args[0] == "replay")
{
    int crashes = 0;
    string[] files = args.Skip(2).SelectMany(p => Directory.Exists(p) ? Directory.GetFiles(p).Order(StringComparer.Ordinal).ToArray() : [p]).ToArray();
    foreach (string file in files)
    {
        try
        {
            FuzzTargets.Run(args[1], File.ReadAllBytes(file));
        }
        catch (Exception e)
        {
            crashes++;
            Console.WriteLine($"CRASH {file}: {e.GetType().Name}: {e.Message}\n{e.StackTrace}");
        }
    }
    Console.WriteLine($"{files.Length} inputs, {crashes} crashes");
    return crashes == 0 ? 0 : 1;
}
if (args.Length == 1 && FuzzTargets.Names.Contains(args[0]))
{
    string target = args[0];
    Fuzzer.Run(stream =>
    {
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        FuzzTargets.Run(target, buffer.ToArray());
    });
    return 0;
}
Console.Error.WriteLine($"usage: SpectralGate.Fuzz <{string.Join("|", FuzzTargets.Names)}> | replay <target> <path>... | seeds <folder>");
return 64;
