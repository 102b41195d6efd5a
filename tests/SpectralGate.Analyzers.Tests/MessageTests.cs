using System.Globalization;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace SpectralGate.Analyzers.Tests;

/// <summary>Messages say what, why and what to do in one short line; the rule page holds the long explanation.</summary>
public class MessageTests
{
    private static IEnumerable<DiagnosticDescriptor> Descriptors() =>
        typeof(RuleIdentifiers).Assembly.GetTypes()
            .Where(t => !t.IsAbstract && typeof(DiagnosticAnalyzer).IsAssignableFrom(t))
            .SelectMany(t => ((DiagnosticAnalyzer)Activator.CreateInstance(t)!).SupportedDiagnostics);

    [TestCaseSource(nameof(Descriptors))]
    public void Message_with_typical_arguments_is_at_most_150_characters(DiagnosticDescriptor descriptor)
    {
        // Arguments as long as the analyzers pass: names, or expressions about 30 characters long.
        var arguments = Enumerable.Repeat<object>("exp(F.softplus(dt) * -exp(A))", 4).ToArray();
        var message = string.Format(CultureInfo.InvariantCulture, descriptor.MessageFormat.ToString(CultureInfo.InvariantCulture), arguments);
        Assert.That(message, Has.Length.LessThanOrEqualTo(150), message);
    }
}
