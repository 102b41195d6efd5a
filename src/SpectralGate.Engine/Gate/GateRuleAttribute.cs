namespace SpectralGate.Engine.Gate;

/// <summary>
/// The rule metadata of one <see cref="GateCodes"/> constant, declared beside it so that a code and what SARIF viewers
/// show for it cannot drift apart (<see cref="GateRules.All"/> reads them).
/// </summary>
[AttributeUsage(AttributeTargets.Field, AllowMultiple = false)]
public sealed class GateRuleAttribute(string name, string description, string help) : Attribute
{
    public string Name { get; } = name;

    public string Description { get; } = description;

    /// <summary>What to do about it.</summary>
    public string Help { get; } = help;

    /// <summary>A warning by default (the build still passes); every other code is an error.</summary>
    public bool IsWarning { get; init; }

    /// <summary>The check could not be carried out on this machine (exit code 3), rather than anything about the model or its baseline.</summary>
    public bool IsEnvironmentFailure { get; init; }
}
