namespace SpectralGate.Cli;

/// <summary>The exit codes of every spectralgate command (documented in docs/cli.md).</summary>
public static class ExitCodes
{
    /// <summary>The command did what was asked and found nothing wrong.</summary>
    public const int Success = 0;

    /// <summary>A check or diff found differences beyond tolerance (or a missing baseline).</summary>
    public const int Differences = 1;

    /// <summary>Bad input or usage: a missing, unreadable or corrupt file, an unknown option. The message names the file and the problem.</summary>
    public const int BadInput = 2;

    /// <summary>The check could not be carried out on this machine: libtorch failed to load, the device is not available, out of memory, or the eigensolver failed.</summary>
    public const int CannotRun = 3;
}
