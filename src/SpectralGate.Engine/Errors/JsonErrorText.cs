using System.Text.Json;
using System.Text.RegularExpressions;

namespace SpectralGate.Engine.Errors;

/// <summary>
/// A <see cref="JsonException"/> as a user reads it: "line L, column C: problem", 1-based, without System.Text.Json's
/// "Path: … | LineNumber: … | BytePositionInLine: …" suffix and its advice to "Change the reader options", which is meant
/// for the programmer who configured the reader, not for the person who edited the file.
/// </summary>
public static partial class JsonErrorText
{
    [GeneratedRegex(@"\s*(Path: [^|]*\|\s*)?LineNumber: \d+ \| BytePositionInLine: \d+\.?\s*$")]
    private static partial Regex LocationSuffix();

    [GeneratedRegex(@"\s*Change the reader options\.?")]
    private static partial Regex ReaderOptionsAdvice();

    public static string Describe(JsonException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        string problem = LocationSuffix().Replace(ReaderOptionsAdvice().Replace(exception.Message, ""), "").Trim();
        if (problem.Length == 0) problem = "malformed JSON";
        return exception.LineNumber is long line && exception.BytePositionInLine is long column
            ? $"line {line + 1}, column {column + 1}: {problem}"
            : problem;
    }
}
