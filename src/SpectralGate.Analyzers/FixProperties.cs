namespace SpectralGate.Analyzers;

/// <summary>Diagnostic properties that tell a code fix what it may safely rewrite; shared with the code-fix project.</summary>
internal static class FixProperties
{
    /// <summary>How the fix may rewrite the value; absent when no rewrite is safe.</summary>
    public const string Key = "fix";

    /// <summary>Rewrite the reported expression where it stands: it is used only as the transition.</summary>
    public const string Inline = "inline";

    /// <summary>
    /// The value is a local with other uses: declare a rescaled copy after its declaration (additional location 0) and
    /// use it at the transition (additional location 1).
    /// </summary>
    public const string NewLocal = "newLocal";
}
