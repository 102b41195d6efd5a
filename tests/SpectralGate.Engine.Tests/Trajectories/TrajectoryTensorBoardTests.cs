using System.Buffers.Binary;
using System.Text;
using SpectralGate.Engine.Trajectories;
using SpectralGate.Tests.Support;
using TorchSharp;
using static SpectralGate.Engine.Tests.Trajectories.TestTrajectories;
using static SpectralGate.Tests.Support.TestSignatures;

namespace SpectralGate.Engine.Tests.Trajectories;

/// <summary>
/// The TensorBoard export, read back by the test's own decoder (<see cref="TensorBoardEvents"/>: TFRecord framing, a bitwise
/// CRC-32C and the protobuf wire format by hand), never by the writer's code.
/// </summary>
public class TrajectoryTensorBoardTests
{
    [TestCase(0x00, 0x8A9136AAu)]
    [TestCase(0xFF, 0x62A8AB43u)]
    public void Crc32CMatchesRfc3720TestVectorsOf32EqualBytes(int fill, uint expected)
    {
        byte[] data = Enumerable.Repeat((byte)fill, 32).ToArray();
        Assert.That(TensorBoardEventFile.Crc32C(data), Is.EqualTo(expected));
        Assert.That(TensorBoardEvents.Crc32C(data), Is.EqualTo(expected), "the test's own CRC");
    }

    [Test]
    public void Crc32CMatchesRfc3720TestVectorsOfIncreasingAndDecreasingBytes()
    {
        byte[] increasing = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();
        byte[] decreasing = increasing.Reverse().ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(TensorBoardEventFile.Crc32C(increasing), Is.EqualTo(0x46DD794Eu));
            Assert.That(TensorBoardEventFile.Crc32C(decreasing), Is.EqualTo(0x113FDB5Cu));
            Assert.That(TensorBoardEventFile.Crc32C("123456789"u8), Is.EqualTo(0xE3069283u), "the CRC catalogue's check value");
        });
    }

    [Test]
    public void Crc32CAgreesWithTheBitwiseDefinitionAtEveryLengthAndAlignment()
    {
        var random = new Random(5);
        for (int length = 0; length < 70; length++)
        {
            byte[] data = new byte[length + 3];
            random.NextBytes(data);
            for (int offset = 0; offset < 3; offset++)
            {
                var span = data.AsSpan(offset, length);
                Assert.That(TensorBoardEventFile.Crc32C(span), Is.EqualTo(TensorBoardEvents.Crc32C(span)), $"length {length}, offset {offset}");
            }
        }
    }

    [Test]
    public void AFrameIsLengthMaskedCrcOfTheLengthDataMaskedCrcOfTheData()
    {
        byte[] data = Encoding.ASCII.GetBytes("abc");

        byte[] frame = TensorBoardEventFile.Frame(data);

        byte[] length = [3, 0, 0, 0, 0, 0, 0, 0];
        var expected = new List<byte>(length);
        expected.AddRange(BitConverter.GetBytes(TensorBoardEvents.Masked(TensorBoardEvents.Crc32C(length))));
        expected.AddRange(data);
        expected.AddRange(BitConverter.GetBytes(TensorBoardEvents.Masked(TensorBoardEvents.Crc32C(data))));
        Assert.That(frame, Is.EqualTo(expected.ToArray()));
    }

    [Test]
    public void OneEventPerStepWithATagPerLayerAndMetricTierAndScalar()
    {
        var trajectory = Of(
            Record(0, 4.5, scalars: ("train_loss", 0)),
            Record(3, 2, tier: TrajectoryTiers.Cheap, scalars: ("train_loss", 0.25)),
            Record(3, 3, scalars: ("train_loss", 0.25)),
            Record(1L << 40, 1.0 / 3));

        var events = TensorBoardEvents.Decode(TrajectoryTensorBoard.ToBytes(trajectory));

        // Derived by hand from TestTrajectories.Record: layers.10.w {alpha a, stable_rank 2.5}, layers.2.w {alpha a + 1,
        // xmin undefined}; tags ordinal ("scalars" < "spectral" < "spectral_cheap", "layers.10" < "layers.2"); the loop's
        // scalar once per step though both records of step 3 carry it; a 0 written (simple_value is in a oneof).
        Assert.Multiple(() =>
        {
            Assert.That(events, Has.Count.EqualTo(4));
            Assert.That(events[0], Is.EqualTo(new DecodedEvent(0, 0, "brain.Event:2", [])).Using<DecodedEvent>(SameEvent));
            Assert.That(events[1].Step, Is.EqualTo(0));
            Assert.That(events[1].Values, Is.EqualTo(new (string, float)[]
            {
                ("scalars/train_loss", 0f),
                ("spectral/layers.10.w/alpha", 4.5f), ("spectral/layers.10.w/stable_rank", 2.5f), ("spectral/layers.2.w/alpha", 5.5f),
            }));
            Assert.That(events[2].Step, Is.EqualTo(3));
            Assert.That(events[2].Values, Is.EqualTo(new (string, float)[]
            {
                ("scalars/train_loss", 0.25f),
                ("spectral/layers.10.w/alpha", 3f), ("spectral/layers.10.w/stable_rank", 2.5f), ("spectral/layers.2.w/alpha", 4f),
                ("spectral_cheap/layers.10.w/alpha", 2f), ("spectral_cheap/layers.10.w/stable_rank", 2.5f), ("spectral_cheap/layers.2.w/alpha", 3f),
            }));
            Assert.That(events[3].Step, Is.EqualTo(1L << 40), "a step past 32 bits (a varint of six bytes)");
            Assert.That(events[3].Values[0], Is.EqualTo(("spectral/layers.10.w/alpha", (float)(1.0 / 3))));
            Assert.That(events.Select(e => e.WallTime), Is.All.EqualTo(0.0));
        });
    }

    [Test]
    public void WriteIsAtomicNamedForTensorBoardAndCountsTheUndefinedValuesItLeftOut()
    {
        string folder = TestPaths.NewScratchFolder();
        var trajectory = Of(Record(10, 4), Record(20, 5));

        var export = TrajectoryTensorBoard.Write(Path.Combine(folder, "run"), trajectory);

        Assert.Multiple(() =>
        {
            Assert.That(export.Path, Is.EqualTo(Path.Combine(folder, "run", "events.out.tfevents.0.spectralgate")));
            Assert.That(Path.GetFileName(export.Path), Does.Contain("tfevents"), "TensorBoard's file filter");
            Assert.That(export, Is.EqualTo(export with { Steps = 2, Values = 6, Undefined = 2 }), "xmin of layers.2.w at both steps");
            Assert.That(Directory.GetFiles(Path.Combine(folder, "run")), Has.Length.EqualTo(1), "no temporary file left");
            Assert.That(File.ReadAllBytes(export.Path), Is.EqualTo(TrajectoryTensorBoard.ToBytes(trajectory)));
            Assert.That(TrajectoryTensorBoard.ToBytes(trajectory), Is.EqualTo(TrajectoryTensorBoard.ToBytes(Of(Record(20, 5), Record(10, 4)))),
                "the bytes do not depend on the order of the records");
        });
    }

    [Test]
    public void NoFileButTheEventFileEverHoldsTfeventsInItsName()
    {
        // TensorBoard loads every file of a run folder whose name holds "tfevents"; a temporary file named after the
        // event file would be read as a second one while it exists. Watched through inotify, in order, up to a sentinel.
        string folder = Path.Combine(TestPaths.NewScratchFolder(), "run");
        Directory.CreateDirectory(folder);
        var seen = new System.Collections.Concurrent.ConcurrentQueue<string>();
        using var sentinelSeen = new ManualResetEventSlim();
        using var watcher = new FileSystemWatcher(folder) { IncludeSubdirectories = false };
        watcher.Created += (_, e) =>
        {
            seen.Enqueue(e.Name!);
            if (e.Name == "sentinel") sentinelSeen.Set();
        };
        watcher.Renamed += (_, e) => seen.Enqueue(e.Name!);
        watcher.EnableRaisingEvents = true;

        TrajectoryTensorBoard.Write(folder, Of(Record(10, 4)));
        TrajectoryTensorBoard.Write(folder, Of(Record(10, 4), Record(20, 5)));
        File.WriteAllBytes(Path.Combine(folder, "sentinel"), []);

        Assert.That(sentinelSeen.Wait(TimeSpan.FromSeconds(30)), "the watcher saw the sentinel");
        Assert.That(seen.Where(name => name.Contains("tfevents")), Is.All.EqualTo("events.out.tfevents.0.spectralgate"),
            $"files created or renamed: {string.Join(", ", seen)}");
        Assert.That(seen.Where(name => !name.Contains("tfevents") && name != "sentinel"), Is.Not.Empty, "the writes went through a staging file");
    }

    [Test]
    public void LayerAndScalarNamesAreKeptAsTheyAreInTheTags()
    {
        var record = new TrajectoryRecord
        {
            Step = 7,
            Source = "live",
            Layers = [Layer("probe:activations/blocks.0.mlp", [64, 64], ("rankme", 12.5))],
            Scalars = new SortedDictionary<string, double>(StringComparer.Ordinal) { ["test_accuracy"] = double.NaN },
        };

        var events = TensorBoardEvents.Decode(TrajectoryTensorBoard.ToBytes(Of(record)));

        Assert.That(events[1].Values.Select(v => v.Tag), Is.EqualTo(new[] { "scalars/test_accuracy", "spectral/probe:activations/blocks.0.mlp/rankme" }));
        Assert.That(events[1].Values[0].Value, Is.NaN, "a diverged loss is written as the NaN it is");
    }

    /// <summary>
    /// TorchSharp 0.107's own <c>SummaryWriter.add_scalar</c> (Google.Protobuf's generated <c>Event</c>, TorchSharp's CRC-32C)
    /// writes an event of the same step, tag and value with the same bytes: a second, unrelated writer of the format.
    /// Given a wall time of 0 (ours), its scalar record is ours byte for byte; its first event carries the time in ticks, so
    /// only the scalar's record is compared.
    /// </summary>
    [Test]
    public void AScalarEventHasTheBytesOfTorchSharpsSummaryWriter()
    {
        string folder = TestPaths.NewScratchFolder();
        var writer = torch.utils.tensorboard.SummaryWriter(folder);
        writer.add_scalar("spectral/fc1.weight/alpha", 4.25f, 1500, walltime: 0);

        byte[] torchSharp = File.ReadAllBytes(Directory.GetFiles(folder).Single());
        int headerLength = 16 + (int)BinaryPrimitives.ReadUInt64LittleEndian(torchSharp);
        byte[] ours = TensorBoardEventFile.ScalarEvent(1500, [("spectral/fc1.weight/alpha", 4.25f)]);

        Assert.That(torchSharp[headerLength..], Is.EqualTo(ours));
        Assert.That(TensorBoardEvents.Decode(torchSharp)[1].Values, Is.EqualTo(new[] { ("spectral/fc1.weight/alpha", 4.25f) }), "the test's decoder reads TorchSharp's file");
    }

    private static bool SameEvent(DecodedEvent a, DecodedEvent b) =>
        a.WallTime == b.WallTime && a.Step == b.Step && a.FileVersion == b.FileVersion && a.Values.SequenceEqual(b.Values);
}
