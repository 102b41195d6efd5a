namespace SpectralGate.Engine.Gate;

/// <summary>
/// One gate diagnostic in MSBuild's canonical format, <c>file(line,col): error CODE: message</c>, which MSBuild's
/// ToolTask, IDEs, GitHub Actions' problem matcher and Azure Pipelines all turn into located errors.
/// </summary>
public sealed record GateDiagnostic(string File, int Line, int Column, bool IsError, string Code, string Message)
{
    public override string ToString() =>
        $"{File}({Line},{Column}): {(IsError ? "error" : "warning")} {Code}: {Message.Replace('\n', ' ')}";
}
