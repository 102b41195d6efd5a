using System.Text;
using CsCheck;
using SpectralGate.Engine.Errors;
using SpectralGate.Engine.Signatures;
using SpectralGate.Engine.Trajectories;
using SpectralGate.Tests.Support;
using static SpectralGate.Engine.Tests.Trajectories.TestTrajectories;
using static SpectralGate.Tests.Support.TestSignatures;

namespace SpectralGate.Engine.Tests.Trajectories;

public class TrajectoryJsonTests
{
    [Test]
    public void OneRecordIsWrittenInTheDocumentedCanonicalLayout()
    {
        var trajectory = Of(new TrajectoryRecord
        {
            Step = 10,
            Source = "live",
            Layers = [Layer("w", [2, 3], ("alpha", 1.0 / 3), ("xmin", null))],
            Scalars = new SortedDictionary<string, double> { ["train_loss"] = 0.1 + 0.2, ["diverged"] = double.NaN },
        });

        // Written by hand from docs/training.md: keys sorted at every level, 2-space indent, LF, 10 significant digits.
        const string expected = """
            {
              "format_version": 1,
              "records": [
                {
                  "layers": [
                    {
                      "kind": "linear",
                      "labels": [],
                      "metrics": {
                        "alpha": 0.3333333333,
                        "xmin": null
                      },
                      "name": "w",
                      "shape": [
                        2,
                        3
                      ]
                    }
                  ],
                  "scalars": {
                    "diverged": null,
                    "train_loss": 0.3
                  },
                  "sha256": null,
                  "source": "live",
                  "step": 10,
                  "tier": "full"
                }
              ],
              "settings": {
                "precision": "float64"
              }
            }

            """;
        Assert.That(TrajectoryJson.ToText(trajectory), Is.EqualTo(expected.Replace("\r\n", "\n")));
    }

    [Test]
    public void RecordsAreWrittenInStepOrderComparedAsNumbersWhateverTheInputOrder()
    {
        string a = TrajectoryJson.ToText(Of(Record(10, 3), Record(9, 4), Record(100, 2)));
        string b = TrajectoryJson.ToText(Of(Record(100, 2), Record(10, 3), Record(9, 4)));

        Assert.That(a, Is.EqualTo(b));
        Assert.That(a.IndexOf("\"step\": 9,", StringComparison.Ordinal), Is.LessThan(a.IndexOf("\"step\": 10,", StringComparison.Ordinal)));
        Assert.That(a.IndexOf("\"step\": 10,", StringComparison.Ordinal), Is.LessThan(a.IndexOf("\"step\": 100,", StringComparison.Ordinal)));
    }

    [Test]
    public void ReadingBackWritesTheSameBytes()
    {
        var trajectory = Of(Record(0, 12, scalars: ("train_loss", 2.5)), Record(500, 4.25), Record(500, 4.5, tier: TrajectoryTiers.Cheap, source: "live"));
        byte[] bytes = TrajectoryJson.ToBytes(trajectory);

        Trajectory read = TrajectoryJsonReader.Parse("t.json", bytes);

        Assert.Multiple(() =>
        {
            Assert.That(TrajectoryJson.ToBytes(read), Is.EqualTo(bytes));
            Assert.That(read.Records.Select(r => (r.Step, r.Tier)), Is.EqualTo(new[] { (0L, "full"), (500L, "cheap"), (500L, "full") }));
            Assert.That(read.Series("layers.2.w", "alpha", TrajectoryTiers.Full).Select(p => p.Value), Is.EqualTo(new double?[] { 13, 5.25 }));
            Assert.That(read.Records[0].Scalars["train_loss"], Is.EqualTo(2.5));
        });
    }

    [Test]
    public void TheLayerObjectsAreTheSignatureFileOnes()
    {
        var layer = Layer("layers.0.w", [16, 8], ("alpha", 3.5), ("stable_rank", 1.25));
        string signature = SignatureJson.ToText(Of(layer));
        string trajectory = TrajectoryJson.ToText(TestTrajectories.Of(new TrajectoryRecord { Step = 1, Source = "live", Layers = [layer] }));

        string LayerObject(string text, string indent)
        {
            int start = text.IndexOf("\n" + indent + "{", text.IndexOf("\"layers\"", StringComparison.Ordinal), StringComparison.Ordinal);
            int end = text.IndexOf("\n" + indent + "}", start, StringComparison.Ordinal);
            return string.Join("\n", text[start..end].Split('\n').Select(l => l.TrimStart()));
        }
        Assert.That(LayerObject(trajectory, "        "), Is.EqualTo(LayerObject(signature, "    ")));
    }

    [Test]
    public void WritePathsAreRelativeToTheFileAndLiveStaysLive()
    {
        string folder = TestPaths.NewScratchFolder();
        string checkpoint = Path.Combine(folder, "ckpt", "step-5.safetensors");
        Directory.CreateDirectory(Path.GetDirectoryName(checkpoint)!);
        File.WriteAllBytes(checkpoint, [1]);
        string json = Path.Combine(folder, "out", "run.trajectory.json");

        TrajectoryJson.Write(json, Of(Record(5, 3, source: checkpoint), Record(6, 3, source: TrajectoryJson.LiveSource)));

        var read = TrajectoryJsonReader.Read(json);
        Assert.That(read.Records.Select(r => r.Source), Is.EqualTo(new[] { "../ckpt/step-5.safetensors", "live" }));
    }

    [TestCase("[]", "not a JSON object")]
    [TestCase("{\"format_version\": 2, \"records\": [], \"settings\": {}}", "format_version 2 is not supported")]
    [TestCase("{\"format_version\": 1, \"layers\": [], \"settings\": {}}", "is a signature")]
    [TestCase("{\"format_version\": 1, \"records\": [{\"step\": -1}], \"settings\": {}}", "'step' is not a non-negative integer")]
    [TestCase("{\"format_version\": 1, \"records\": [{\"step\": 3, \"tier\": \"full\", \"source\": \"x\", \"sha256\": \"ABC\", \"layers\": [], \"scalars\": {}}], \"settings\": {}}", "record of step 3: 'sha256' is not 64 lower-case hex digits")]
    [TestCase("{\"format_version\": 1, \"records\": [{\"step\": 3, \"tier\": \"often\", \"source\": \"x\", \"sha256\": null, \"layers\": [], \"scalars\": {}}], \"settings\": {}}", "record of step 3: tier 'often'")]
    [TestCase("{\"format_version\": 1, \"records\": [{\"step\": 3, \"tier\": \"full\", \"source\": \"x\", \"sha256\": null, \"layers\": [], \"scalars\": {\"loss\": \"1\"}}], \"settings\": {}}", "record of step 3: scalar 'loss' is not a number")]
    [TestCase("{\"format_version\": 1, \"records\": [{\"step\": 3, \"tier\": \"full\", \"source\": \"x\", \"sha256\": null, \"layers\": [{\"name\": \"w\", \"kind\": \"linear\", \"labels\": [], \"metrics\": {\"alpha\": \"x\"}, \"shape\": [1]}], \"scalars\": {}}], \"settings\": {}}", "tensor 'w': record of step 3: metric 'alpha' is not a number")]
    [TestCase("{\"format_version\": 1, \"records\": [{\"step\": 3, \"tier\": \"full\", \"source\": \"x\", \"sha256\": null, \"layers\": [], \"scalars\": {}}, {\"step\": 3, \"tier\": \"full\", \"source\": \"y\", \"sha256\": null, \"layers\": [], \"scalars\": {}}], \"settings\": {}}", "step 3 (full) is recorded more than once")]
    [TestCase("{\"format_version\": 1, \"records\": [", "not valid JSON: line 1")]
    public void MalformedFilesAreRefusedNamingTheFileAndWhere(string json, string problem)
    {
        var e = Assert.Throws<BaselineFormatException>(() => TrajectoryJsonReader.Parse("run.trajectory.json", Encoding.UTF8.GetBytes(json)));
        Assert.That(e!.Message, Does.StartWith("run.trajectory.json: ").And.Contain(problem));
    }

    [Test]
    public void InvalidUtf8AndDeepNestingAreRefusedNotCrashes()
    {
        byte[] notUtf8 = [(byte)'{', (byte)'"', 0xC3, 0x28, (byte)'"', (byte)':', (byte)'1', (byte)'}'];
        string deep = new string('[', 100) + new string(']', 100);

        Assert.Multiple(() =>
        {
            Assert.That(Assert.Throws<BaselineFormatException>(() => TrajectoryJsonReader.Parse("t.json", notUtf8))!.Message, Does.Contain("not valid UTF-8"));
            Assert.That(Assert.Throws<BaselineFormatException>(() => TrajectoryJsonReader.Parse("t.json", Encoding.UTF8.GetBytes(deep)))!.Message, Does.Contain("not valid JSON"));
        });
    }

    [Test]
    public void AMissingFileIsABaselineFormatErrorNamingIt()
    {
        string path = Path.Combine(TestPaths.NewScratchFolder(), "none.trajectory.json");
        Assert.That(Assert.Throws<BaselineFormatException>(() => TrajectoryJsonReader.Read(path))!.Message, Does.Contain("none.trajectory.json: file not found"));
    }
}

public class TrajectoryJsonMutationTests
{
    [Test]
    public void AnyByteChangedInAValidFileIsReadOrRefusedNeverACrash()
    {
        byte[] valid = TrajectoryJson.ToBytes(TestTrajectories.Of(TestTrajectories.Record(0, 12, scalars: ("train_loss", 2.5)), TestTrajectories.Record(500, 4.25)));

        Gen.Select(Gen.Int[0, valid.Length - 1], Gen.Byte, Gen.Int[0, 3]).Sample(t =>
        {
            byte[] bytes = (byte[])valid.Clone();
            var (at, value, cut) = t;
            bytes[at] = value;
            if (cut == 0) bytes = bytes[..at]; // and truncations
            try
            {
                var read = TrajectoryJsonReader.Parse("t.json", bytes);
                TrajectoryJsonReader.Parse("t.json", TrajectoryJson.ToBytes(read));
            }
            catch (BaselineFormatException)
            {
                // the documented refusal
            }
        }, iter: 3000);
    }
}
