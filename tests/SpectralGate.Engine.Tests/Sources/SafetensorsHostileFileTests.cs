using SpectralGate.Tests.Support;
using System.Diagnostics;
using System.Text;
using SpectralGate.Engine.Errors;
using SpectralGate.Engine.Sources;
using SpectralGate.Engine.Sources.Safetensors;
using static SpectralGate.Tests.Support.SafetensorsFixtures;

namespace SpectralGate.Engine.Tests.Sources;

/// <summary>Every malformed file is refused with a message naming the file (and the tensor), quickly and without large allocations.</summary>
public class SafetensorsHostileFileTests
{
    private const long SmallAllocation = 4 << 20;

    private static ModelFormatException Refused(string path)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        var clock = Stopwatch.StartNew();
        var e = Assert.Throws<ModelFormatException>(() =>
        {
            using var source = new SafetensorsFileSource(path);
            foreach (var entry in source.Tensors) { }
        })!;
        clock.Stop();
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Multiple(() =>
        {
            Assert.That(e.FilePath, Is.EqualTo(path));
            Assert.That(e.Message, Does.StartWith(path));
            Assert.That(allocated, Is.LessThan(SmallAllocation), "a hostile file must not make the reader allocate what it claims");
        });
        return e;
    }

    [Test]
    public void FileShorterThanTheLengthPrefix()
    {
        string path = WithRawHeader([], 0, 0);
        File.WriteAllBytes(path, [1, 2, 3, 4]);

        Assert.That(Refused(path).Message, Does.Contain("too short"));
    }

    [Test]
    public void ZeroLengthHeader() =>
        Assert.That(Refused(WithRawHeader([], 0, 0)).Message, Does.Contain("JSON"));

    [Test]
    public void HeaderLengthAboveTheFormatLimit() =>
        Assert.That(Refused(WithRawHeader("{}"u8.ToArray(), 200_000_000, 0)).Message, Does.Contain("exceeds"));

    [Test]
    public void HeaderLengthPastTheEndOfTheFile() =>
        Assert.That(Refused(WithRawHeader("{}"u8.ToArray(), 5000, 0)).Message, Does.Contain("past the end"));

    [Test]
    public void HeaderLengthOfUInt64MaxIsNotNegative() =>
        Assert.That(Refused(WithRawHeader("{}"u8.ToArray(), ulong.MaxValue, 0)).Message, Does.Contain("exceeds"));

    [Test]
    public void InvalidUtf8Header() =>
        Assert.That(Refused(WithRawHeader([(byte)'{', 0xC3, 0x28, (byte)'}'], 4, 0)).Message, Does.Contain("UTF-8"));

    [Test]
    public void HeaderThatIsNotJson() =>
        Assert.That(Refused(WithHeader("not json at all", 0)).Message, Does.Contain("JSON"));

    [Test]
    public void HeaderThatIsAJsonArray() =>
        Assert.That(Refused(WithHeader("[1,2,3]", 0)).Message, Does.Contain("not a JSON object"));

    [Test]
    public void DeeplyNestedJson() =>
        Refused(WithHeader(new string('[', 100_000) + new string(']', 100_000), 0));

    [Test]
    public void UnknownDType() =>
        Assert.That(Refused(WithHeader("""{"w":{"dtype":"F128","shape":[1],"data_offsets":[0,16]}}""", 16)).Message, Does.Contain("unknown dtype"));

    [Test]
    public void NegativeDimension() =>
        Assert.That(Refused(WithHeader("""{"w":{"dtype":"F32","shape":[-1,4],"data_offsets":[0,16]}}""", 16)).Message, Does.Contain("'w'"));

    [Test]
    public void OverlappingOffsets()
    {
        var e = Refused(WithHeader("""{"a":{"dtype":"F32","shape":[4],"data_offsets":[0,16]},"b":{"dtype":"F32","shape":[4],"data_offsets":[8,24]}}""", 24));
        Assert.That(e.Message, Does.Contain("overlap"));
        Assert.That(e.Layer, Is.EqualTo("b"));
    }

    [Test]
    public void GapBetweenTensors() =>
        Assert.That(Refused(WithHeader("""{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[16,24]}}""", 24)).Message, Does.Contain("gap"));

    [Test]
    public void OffsetsOutOfOrderButContiguousAreAccepted()
    {
        string path = WithHeader("""{"b":{"dtype":"F32","shape":[2],"data_offsets":[8,16]},"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}""", 16);

        using var source = new SafetensorsFileSource(path);

        Assert.That(source.Tensors.Select(t => t.Name), Is.EquivalentTo(new[] { "a", "b" }));
    }

    [Test]
    public void ShapeAndByteLengthDisagree() =>
        Assert.That(Refused(WithHeader("""{"w":{"dtype":"F32","shape":[3,3],"data_offsets":[0,16]}}""", 16)).Message, Does.Contain("needs 36 bytes"));

    [Test]
    public void ShapeWhoseElementCountOverflows() =>
        Assert.That(Refused(WithHeader("""{"w":{"dtype":"F32","shape":[1099511627776,1099511627776],"data_offsets":[0,16]}}""", 16)).Message, Does.Contain("overflows"));

    [Test]
    public void TerabyteTensorInASmallFile() =>
        Assert.That(Refused(WithHeader("""{"w":{"dtype":"F32","shape":[262144,1048576],"data_offsets":[0,1099511627776]}}""", 16)).Message, Does.Contain("past the"));

    [Test]
    public void TruncatedData()
    {
        string path = Write(SafetensorsWriter.Float32("w", [16, 16], Ramp(256)));
        byte[] bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..^100]);

        Assert.That(Refused(path).Message, Does.Contain("truncated"));
    }

    [Test]
    public void TrailingBytes()
    {
        string path = Write(SafetensorsWriter.Float32("w", [2, 2], [1f, 2f, 3f, 4f]));
        File.AppendAllText(path, "junk");

        Assert.That(Refused(path).Message, Does.Contain("trailing"));
    }

    [Test]
    public void TruncatedAtEveryStructuralBoundaryIsRefused()
    {
        string good = Write(SafetensorsWriter.Float32("a", [4, 4], Ramp(16)), SafetensorsWriter.Float32("b", [4, 4], Ramp(16)));
        byte[] bytes = File.ReadAllBytes(good);
        int headerEnd = 8 + (int)BitConverter.ToUInt64(bytes);
        int[] cuts = [0, 4, 7, 8, 9, headerEnd / 2, headerEnd - 1, headerEnd, headerEnd + 1, headerEnd + 64, bytes.Length - 1];

        foreach (int cut in cuts)
        {
            string path = Path.Combine(Path.GetDirectoryName(good)!, $"cut{cut}.safetensors");
            File.WriteAllBytes(path, bytes[..cut]);
            Refused(path);
        }
    }

    [Test]
    public void MissingFields()
    {
        Refused(WithHeader("""{"w":{"shape":[1],"data_offsets":[0,4]}}""", 4));
        Refused(WithHeader("""{"w":{"dtype":"F32","data_offsets":[0,4]}}""", 4));
        Refused(WithHeader("""{"w":{"dtype":"F32","shape":[1]}}""", 4));
        Refused(WithHeader("""{"w":{"dtype":"F32","shape":[1],"data_offsets":[0]}}""", 4));
        Refused(WithHeader("""{"w":7}""", 0));
    }

    [Test]
    public void EmptyHeaderObjectIsAModelWithNoTensors()
    {
        using var source = new SafetensorsFileSource(WithHeader("{}", 0));
        Assert.That(source.Tensors, Is.Empty);
    }
}
