namespace SpectralGate.Engine.Gate;

/// <summary>How to get a spectralgate that runs on this machine: the end of every SG1008 message.</summary>
public static class ToolInstallHint
{
    public const string Text =
        "Install the tool for this machine: 'dotnet new tool-manifest' (once per repository), then 'dotnet tool install SpectralGate.Cli' "
        + "(it picks the package of this OS and CPU), or 'dotnet tool restore' where the manifest is committed; "
        + "or set SpectralGateCliPath to a spectralgate.dll that runs here (docs/gate.md).";
}
