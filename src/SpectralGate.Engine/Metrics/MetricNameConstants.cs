using System.Reflection;

namespace SpectralGate.Engine.Metrics;

/// <summary>The values of a name registry's <c>const string</c> fields, sorted: its list is read from its constants, never kept beside them.</summary>
public static class MetricNameConstants
{
    public static IReadOnlyList<string> Of(Type registry) =>
        [.. registry.GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.IsLiteral && f.FieldType == typeof(string))
            .Select(f => (string)f.GetRawConstantValue()!).Order(StringComparer.Ordinal)];
}
