namespace SpectralGate.Cli.Commands;

/// <summary>
/// The exact command that accepts the current signature of this model as this baseline, with the options that change
/// what is recorded (precision, sketch, selection, tolerances), quoted for a POSIX shell, so it can be pasted as printed.
/// </summary>
internal static class AcceptHint
{
    public static string For(string model, string baseline, IEnumerable<string> recordedOptions) =>
        string.Join(' ', new[] { "spectralgate", "check", Quote(model), "--baseline", Quote(baseline) }
            .Concat(recordedOptions.Select(Quote))
            .Append("--accept"));

    private static string Quote(string argument) =>
        argument.Length > 0 && argument.All(c => char.IsAsciiLetterOrDigit(c) || "/._-=,:+@%".Contains(c))
            ? argument
            : "'" + argument.Replace("'", "'\\''") + "'";
}
