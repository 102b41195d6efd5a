namespace SpectralGate.Engine.Gate;

/// <summary>
/// One gate code as a rule: what SARIF viewers (GitHub code scanning, Azure DevOps) show beside a result, and whether
/// the code says the check could not be carried out on this machine (<c>IsEnvironmentFailure</c>, exit code 3).
/// </summary>
public sealed record GateRule(string Id, string Name, string Description, string Help, bool IsError, bool IsEnvironmentFailure = false);
