using System.Globalization;
using System.Text;
using SpectralGate.Engine.IO;
using SpectralGate.Engine.Names;
using SpectralGate.Engine.Signatures;

namespace SpectralGate.Engine.Trajectories;

/// <summary>
/// A trajectory in long format for pandas and spreadsheets: one row <c>step,layer,metric,value,tier</c> per metric of
/// a layer at a step, and one per scalar the loop reported with an empty <c>layer</c>. Rows in ascending step, then tier,
/// scalars before layers, layers in natural name order, metrics ordinal; numbers as in the JSON
/// (<see cref="CanonicalNumber"/>, invariant culture), an undefined value empty; LF line ends; fields quoted as RFC 4180
/// when they hold a comma, quote or line break. The tier column keeps rows unique when a step has both a cheap and a
/// full record.
/// </summary>
public static class TrajectoryCsv
{
    public const string Header = "step,layer,metric,value,tier";

    public static string ToText(Trajectory trajectory)
    {
        ArgumentNullException.ThrowIfNull(trajectory);
        var text = new StringBuilder(Header).Append('\n');
        foreach (TrajectoryRecord record in TrajectoryJson.CanonicalOrder(trajectory.Records))
        {
            foreach (var (name, value) in record.Scalars.OrderBy(p => p.Key, StringComparer.Ordinal))
                Row(text, record, "", name, value);
            foreach (LayerSignature layer in record.Layers.OrderBy(l => l.Name, NaturalNameComparer.Instance))
                foreach (var (metric, value) in layer.Metrics.OrderBy(p => p.Key, StringComparer.Ordinal))
                    Row(text, record, layer.Name, metric, value);
        }
        return text.ToString();
    }

    public static void Write(string path, Trajectory trajectory) => AtomicFile.WriteAllBytes(path, Encoding.UTF8.GetBytes(ToText(trajectory)));

    private static void Row(StringBuilder text, TrajectoryRecord record, string layer, string metric, double? value)
    {
        text.Append(record.Step.ToString(CultureInfo.InvariantCulture)).Append(',')
            .Append(Field(layer)).Append(',')
            .Append(Field(metric)).Append(',')
            .Append(value is double v && double.IsFinite(v) ? CanonicalNumber.Format(v) : "").Append(',')
            .Append(Field(record.Tier)).Append('\n');
    }

    private static string Field(string value) =>
        value.AsSpan().IndexOfAny(",\"\r\n") < 0 ? value : "\"" + value.Replace("\"", "\"\"") + "\"";
}
