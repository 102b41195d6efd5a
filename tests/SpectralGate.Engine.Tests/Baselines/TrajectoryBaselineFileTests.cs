using System.Text;
using SpectralGate.Engine.Baselines;
using SpectralGate.Engine.Errors;
using SpectralGate.Engine.Trajectories;
using static SpectralGate.Tests.Support.BaselineTrajectories;

namespace SpectralGate.Engine.Tests.Baselines;

public class TrajectoryBaselineFileTests
{
    private static readonly long[] Steps = [0, 10, 100];
    private string _folder = "";

    [SetUp]
    public void CreateFolder() => _folder = Directory.CreateTempSubdirectory("sg-trajectory-baseline-").FullName;

    [TearDown]
    public void RemoveFolder() => Directory.Delete(_folder, recursive: true);

    [Test]
    public void AOneRunBaselineIsTheTrajectoryFileWithItsTolerances()
    {
        var run = Alpha(Steps, s => 3.0 + s / 1000.0);
        var policy = new TolerancePolicy().For("fc1.*", "alpha", 0.5, 0);

        byte[] bytes = TrajectoryBaselineFile.ToBytes(TrajectoryBaseline.Of(run), policy);
        string text = Encoding.UTF8.GetString(bytes);
        var (read, tolerances) = TrajectoryBaselineFile.Parse("base.json", bytes);

        Assert.Multiple(() =>
        {
            Assert.That(text, Does.StartWith(Encoding.UTF8.GetString(TrajectoryJson.ToBytes(run))[..^3]), "the trajectory's own bytes, sections added after them");
            Assert.That(text, Does.Not.Contain("\"band\""));
            Assert.That(TrajectoryJson.ToBytes(TrajectoryJsonReader.Parse("base.json", bytes)), Is.EqualTo(TrajectoryJson.ToBytes(run)), "a trajectory reader reads it");
            Assert.That(read.Seeds, Is.EqualTo(1));
            Assert.That(read.Series("fc1.weight", "alpha")![2], Is.EqualTo(BandPoint.Of(100, 3.1)));
            Assert.That(tolerances.Rules.Single(), Is.EqualTo(new ToleranceRule("fc1.*", "alpha", new Tolerance(0.5, 0))));
            Assert.That(tolerances.Defaults["alpha"], Is.EqualTo(ToleranceDefaults.For("alpha")));
            Assert.That(text, Does.EndWith("}\n").And.Not.Contain("\r"));
        });
    }

    [Test]
    public void AMultiSeedBaselineRoundTripsItsBandsByteForByte()
    {
        double[] seedValues = [3.0, 3.2, 3.4];
        var baseline = TrajectoryBands.FromSeeds(seedValues.Select(v => Alpha(Steps, s => s == 0 ? null : v)).ToList(), BandMethod.MeanSd, k: 2.5);

        byte[] bytes = TrajectoryBaselineFile.ToBytes(baseline, new TolerancePolicy());
        var (read, _) = TrajectoryBaselineFile.Parse("base.json", bytes);

        Assert.Multiple(() =>
        {
            Assert.That(TrajectoryBaselineFile.ToBytes(read, new TolerancePolicy()), Is.EqualTo(bytes));
            Assert.That((read.Method, read.K, read.Seeds), Is.EqualTo((BandMethod.MeanSd, (double?)2.5, 3)));
            Assert.That(read.Series("fc1.weight", "alpha"), Is.EqualTo(baseline.Series("fc1.weight", "alpha")));
            Assert.That(Encoding.UTF8.GetString(bytes), Does.Contain("\n          {\"high\": null, \"low\": null, \"mean\": null, \"step\": 0, \"undefined\": 3},\n"), "one point per line");
            Assert.That(Encoding.UTF8.GetString(bytes), Does.Contain("\"method\": \"mean_sd\""));
        });
    }

    [Test]
    public void WritingIsAtomicAndReadingNamesTheFileOfABrokenBand()
    {
        var baseline = TrajectoryBands.FromSeeds([Alpha(Steps, _ => 3.0), Alpha(Steps, _ => 3.1)]);
        string path = Path.Combine(_folder, "train.trajectory.verified.json");
        TrajectoryBaselineFile.Write(path, baseline, new TolerancePolicy());
        string text = File.ReadAllText(path);
        File.WriteAllText(path, text.Replace("\"low\": 3, \"mean\": 3.05, \"step\": 10", "\"low\": 9, \"mean\": 3.05, \"step\": 10"));

        Assert.That(() => TrajectoryBaselineFile.Read(path), Throws.InstanceOf<BaselineFormatException>()
            .With.Message.Contains(path).And.Message.Contains("needs finite 'low' ≤ 'high'"));
        Assert.That(Directory.GetFiles(_folder), Has.Length.EqualTo(1), "no temporary file left");
    }
}
