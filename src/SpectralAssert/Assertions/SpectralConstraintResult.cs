using System.Text;
using NUnit.Framework.Constraints;

namespace SpectralAssert.Assertions;

/// <summary>A result whose message stands on its own: each offending layer with its value and the bound, and how many passed.</summary>
public sealed class SpectralConstraintResult(IConstraint constraint, object? actual, bool success, string message)
    : ConstraintResult(constraint, actual, success)
{
    public string Message { get; } = message;

    public override void WriteMessageTo(MessageWriter writer) => writer.Write(Message);

    internal static string Lines(IEnumerable<string> lines, int max = 40)
    {
        var list = lines.ToList();
        var sb = new StringBuilder();
        foreach (var line in list.Take(max)) sb.Append("  ").Append(line).Append('\n');
        if (list.Count > max) sb.Append($"  ... and {list.Count - max} more\n");
        return sb.ToString();
    }
}
