namespace SpectralGate.Engine.Metrics;

/// <summary>
/// The metric names a weight signature can hold, for rejecting typos in tolerance rules (<c>stable_rnak</c> would
/// otherwise be accepted and never apply), with the nearest known name as a suggestion.
/// </summary>
public static class KnownMetrics
{
    /// <summary>Every weight metric name (<see cref="MetricNames.All"/>), sorted.</summary>
    public static IReadOnlyList<string> Weight => MetricNames.All;

    /// <summary>True for a name of <see cref="Weight"/> or the wildcard <c>*</c>.</summary>
    public static bool IsKnown(string metric) => metric == "*" || Weight.Contains(metric);

    /// <summary>"unknown metric 'x'" with the nearest known name (edit distance ≤ 3) or the list of names.</summary>
    public static string Unknown(string metric) => Unknown(metric, Weight);

    /// <summary>As <see cref="Unknown(string)"/>, among <paramref name="known"/> names.</summary>
    public static string Unknown(string metric, IReadOnlyList<string> known)
    {
        var nearest = known.Select(name => (name, distance: EditDistance(metric, name))).MinBy(p => p.distance);
        return nearest.distance <= 3
            ? $"unknown metric '{metric}'; did you mean '{nearest.name}'?"
            : $"unknown metric '{metric}'; known: {string.Join(", ", known)}, or '*'.";
    }

    private static int EditDistance(string a, string b)
    {
        var row = Enumerable.Range(0, b.Length + 1).ToArray();
        for (int i = 1; i <= a.Length; i++)
        {
            int diagonal = row[0];
            row[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                int above = row[j];
                row[j] = Math.Min(Math.Min(row[j] + 1, row[j - 1] + 1), diagonal + (a[i - 1] == b[j - 1] ? 0 : 1));
                diagonal = above;
            }
        }
        return row[b.Length];
    }
}
