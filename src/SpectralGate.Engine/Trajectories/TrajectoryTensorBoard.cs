using SpectralGate.Engine.IO;
using SpectralGate.Engine.Signatures;

namespace SpectralGate.Engine.Trajectories;

/// <summary>
/// A trajectory as a TensorBoard event file (<see cref="TensorBoardEventFile"/>), <see cref="FileName"/> in a run folder:
/// one event per recorded step holding one scalar per layer and metric, tagged <c>spectral/{layer}/{metric}</c> for the
/// full tier and <c>spectral_cheap/{layer}/{metric}</c> for the cheap tier (its spectral norm is a power-iteration
/// estimate, not the full tier's exact one, so the two never share a curve), and the loop's scalars as
/// <c>scalars/{name}</c>. Steps ascend, tags within an event are ordinal. An undefined metric is left out (a gap) and
/// counted; values are the trajectory JSON's numbers as float32, as TensorBoard stores them. The same trajectory gives the same bytes, and the training
/// monitor's live file (<c>MonitorOptions.TensorBoard</c>, appended step by step) ends with the same bytes as this export
/// of its trajectory.
/// </summary>
public static class TrajectoryTensorBoard
{
    /// <summary>
    /// The event file's name: TensorBoard reads files whose names hold <c>tfevents</c>; the usual timestamp and host name
    /// are replaced by fixed words so the folder's content does not depend on when or where it was written.
    /// </summary>
    public const string FileName = "events.out.tfevents.0.spectralgate";

    public const string FullPrefix = "spectral/";
    public const string CheapPrefix = "spectral_cheap/";
    public const string ScalarPrefix = "scalars/";

    /// <summary>The tag of a layer's metric in a record of <paramref name="tier"/>.</summary>
    public static string Tag(string tier, string layer, string metric) => tier switch
    {
        TrajectoryTiers.Full => FullPrefix + layer + "/" + metric,
        TrajectoryTiers.Cheap => CheapPrefix + layer + "/" + metric,
        _ => throw new ArgumentException($"unknown trajectory tier '{tier}'.", nameof(tier)),
    };

    public static string ScalarTag(string name) => ScalarPrefix + name;

    /// <summary>The whole file: the version event, then one event per step.</summary>
    public static byte[] ToBytes(Trajectory trajectory) => Encode(trajectory).Bytes;

    /// <summary>Writes <see cref="FileName"/> into <paramref name="folder"/> atomically, replacing an earlier export.</summary>
    public static TensorBoardExport Write(string folder, Trajectory trajectory)
    {
        var (bytes, steps, values, undefined) = Encode(trajectory);
        string path = Path.Combine(folder, FileName);
        Replace(path, bytes);
        return new TensorBoardExport(path, steps, values, undefined);
    }

    /// <summary>
    /// Replaces an event file atomically through a staging name without <c>tfevents</c>: TensorBoard loads every file
    /// whose name holds that word, and <see cref="AtomicFile"/>'s temporary file is named after its target, so a
    /// TensorBoard watching the folder would read it as a second event file of the run.
    /// </summary>
    internal static void Replace(string path, ReadOnlySpan<byte> bytes)
    {
        string staging = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, $".spectralgate-tensorboard.{Environment.ProcessId}.{Guid.NewGuid():N}.staging");
        try
        {
            AtomicFile.WriteAllBytes(staging, bytes);
            File.Move(staging, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(staging)) File.Delete(staging);
        }
    }

    /// <summary>
    /// The framed event of one step from its records (a cheap and a full one at most). The loop's scalars, which both
    /// records carry, are written once per name and value.
    /// </summary>
    public static byte[] StepEvent(long step, IReadOnlyList<TrajectoryRecord> records, out int values, out int undefined)
    {
        var tagged = new List<(string Tag, float Value)>();
        undefined = 0;
        foreach (TrajectoryRecord record in records)
        {
            if (record.Step != step) throw new ArgumentException($"a record of step {record.Step} given for step {step}.", nameof(records));
            foreach (var (name, value) in record.Scalars) tagged.Add((ScalarTag(name), AsWritten(value)));
            foreach (LayerSignature layer in record.Layers)
                foreach (var (metric, value) in layer.Metrics)
                {
                    if (value is double v) tagged.Add((Tag(record.Tier, layer.Name, metric), AsWritten(v)));
                    else undefined++;
                }
        }
        var distinct = tagged.Distinct().OrderBy(t => t.Tag, StringComparer.Ordinal).ThenBy(t => t.Value).ToList();
        values = distinct.Count;
        return TensorBoardEventFile.ScalarEvent(step, distinct);
    }

    /// <summary>
    /// The number the trajectory JSON holds (<see cref="CanonicalNumber"/>), as float: an export of the file and of the
    /// trajectory in memory are the same bytes, and last-bit differences of parallel BLAS stay out of both.
    /// </summary>
    private static float AsWritten(double value) => (float)CanonicalNumber.Round(value);

    private static (byte[] Bytes, int Steps, int Values, int Undefined) Encode(Trajectory trajectory)
    {
        ArgumentNullException.ThrowIfNull(trajectory);
        using var file = new MemoryStream();
        file.Write(TensorBoardEventFile.FileVersionEvent());
        int steps = 0, values = 0, undefined = 0;
        foreach (var step in TrajectoryJson.CanonicalOrder(trajectory.Records).GroupBy(r => r.Step))
        {
            file.Write(StepEvent(step.Key, step.ToList(), out int stepValues, out int stepUndefined));
            steps++;
            values += stepValues;
            undefined += stepUndefined;
        }
        return (file.ToArray(), steps, values, undefined);
    }
}
