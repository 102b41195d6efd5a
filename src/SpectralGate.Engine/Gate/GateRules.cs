using System.Reflection;

namespace SpectralGate.Engine.Gate;

/// <summary>The rule metadata of every gate code, in code order, read from the <see cref="GateRuleAttribute"/> of each <see cref="GateCodes"/> constant.</summary>
public static class GateRules
{
    public static IReadOnlyList<GateRule> All { get; } = typeof(GateCodes).GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f.IsLiteral && f.FieldType == typeof(string))
        .Select(f => (Code: (string)f.GetRawConstantValue()!, Rule: f.GetCustomAttribute<GateRuleAttribute>()
            ?? throw new InvalidOperationException($"GateCodes.{f.Name} has no [GateRule]: declare its name, description and help beside it.")))
        .OrderBy(c => c.Code, StringComparer.Ordinal)
        .Select(c => new GateRule(c.Code, c.Rule.Name, c.Rule.Description, c.Rule.Help, !c.Rule.IsWarning, c.Rule.IsEnvironmentFailure))
        .ToArray();

    /// <summary>The rule of a code; null for a code this release does not know.</summary>
    public static GateRule? Find(string code) => All.FirstOrDefault(r => r.Id == code);
}
