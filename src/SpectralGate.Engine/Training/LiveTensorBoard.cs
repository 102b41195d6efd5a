using SpectralGate.Engine.Trajectories;

namespace SpectralGate.Engine.Training;

/// <summary>
/// The monitor's TensorBoard event file (<see cref="MonitorOptions.TensorBoard"/>), written while training runs: created
/// with its version event when the monitor starts (atomically, replacing an earlier run's file of the same name), then
/// one event appended per recorded step as soon as that step's records are analysed, so TensorBoard draws the curves
/// during the run. TensorBoard tails an event file from its last offset through the handle it holds, so the file grows
/// by appends (one write of one whole framed record, flushed; a reader that meets a partly written record waits for the
/// rest, as TFRecord intends), not by atomic replacement, which a reader holding the old file would never see. The
/// finished file has the bytes of <see cref="TrajectoryTensorBoard.ToBytes"/> of the monitor's trajectory.
/// </summary>
internal sealed class LiveTensorBoard
{
    private LiveTensorBoard(string path) => Path = path;

    public string Path { get; }

    public static LiveTensorBoard Create(string folder)
    {
        string path = System.IO.Path.Combine(folder, TrajectoryTensorBoard.FileName);
        TrajectoryTensorBoard.Replace(path, TensorBoardEventFile.FileVersionEvent());
        return new LiveTensorBoard(path);
    }

    /// <summary>Appends the event of one step from all its records (the cheap one and, at a full step, the full one).</summary>
    public void Append(long step, IReadOnlyList<TrajectoryRecord> records)
    {
        byte[] record = TrajectoryTensorBoard.StepEvent(step, records, out _, out _);
        using var file = new FileStream(Path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite);
        file.Write(record);
        file.Flush(flushToDisk: false);
    }
}
