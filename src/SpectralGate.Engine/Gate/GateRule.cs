namespace SpectralGate.Engine.Gate;

/// <summary>One gate code as a rule: what SARIF viewers (GitHub code scanning, Azure DevOps) show beside a result.</summary>
public sealed record GateRule(string Id, string Name, string Description, string Help, bool IsError);
