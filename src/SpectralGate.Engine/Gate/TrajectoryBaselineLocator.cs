using System.Globalization;

namespace SpectralGate.Engine.Gate;

/// <summary>
/// Where a finding stands in a trajectory baseline file, so a diagnostic points the IDE at it: the layer's entry in the
/// record of the step, else the record's <c>"step"</c> line, else the layer's first entry. The file is canonical JSON
/// (a record's keys sorted, so its layers come before its <c>"step": N,</c> line), so a line scan is exact.
/// </summary>
public static class TrajectoryBaselineLocator
{
    public static (int Line, int Column) Find(IReadOnlyList<string> lines, string? layer, long? step)
    {
        if (step is long s)
        {
            string stepLine = string.Create(CultureInfo.InvariantCulture, $"\"step\": {s},");
            for (int i = 0; i < lines.Count; i++)
            {
                // Band points hold "step" too, but on one line starting with '{'; a record's step stands alone.
                if (lines[i].Trim() != stepLine) continue;
                if (layer is null) return (i + 1, lines[i].IndexOf('"', StringComparison.Ordinal) + 1);
                int start = i;
                while (start > 0 && !lines[start - 1].TrimStart().StartsWith("\"step\": ", StringComparison.Ordinal)) start--;
                return BaselineLocator.TryFind(lines, layer, start, i) ?? (i + 1, lines[i].IndexOf('"', StringComparison.Ordinal) + 1);
            }
        }
        return layer is null ? (1, 1) : BaselineLocator.Find(lines, layer);
    }
}
