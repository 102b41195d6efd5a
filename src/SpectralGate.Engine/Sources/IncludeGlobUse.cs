using SpectralGate.Engine.Errors;
using SpectralGate.Engine.Names;

namespace SpectralGate.Engine.Sources;

/// <summary>
/// An include glob that matches nothing is a typo or a renamed layer: the rest of the selection would pass while that
/// part is never gated, so it is an error (SG1014, exit 2). Exclude globs are not checked: excluding what a model lacks
/// is legitimate (one list for several models).
/// </summary>
public static class IncludeGlobUse
{
    /// <summary>Throws, naming the model and each glob, when an include glob matched no tensor.</summary>
    public static void ThrowIfAnyUnmatched(GlobUse includes, string filePath)
    {
        var unmatched = includes.Unmatched.Select(g => $"'{g}'").ToList();
        if (unmatched.Count == 0) return;
        string examples = includes.Examples.Count == 0 ? "" : $" (its tensors are named like {string.Join(", ", includes.Examples)})";
        throw new NothingAnalysedException(filePath,
            $"nothing analysed for the include glob{(unmatched.Count > 1 ? "s" : "")} {string.Join(", ", unmatched)}: no tensor of the model matches{examples}. Fix the glob ('*' within a name segment, '**' across).");
    }
}
