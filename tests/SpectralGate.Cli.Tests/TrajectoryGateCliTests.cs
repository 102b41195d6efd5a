using System.Text.RegularExpressions;
using SpectralGate.Engine.Baselines;
using SpectralGate.Engine.Trajectories;
using SpectralGate.Tests.Support;
using static SpectralGate.Tests.Support.BaselineTrajectories;

namespace SpectralGate.Cli.Tests;

/// <summary>
/// <c>check RUN.json --baseline BASE.json</c> on trajectories, in the tool's own process: codes, exit codes, located
/// canonical lines, accept (and its refusal on CI), and <c>baseline-from</c>.
/// </summary>
public class TrajectoryGateCliTests
{
    private static readonly long[] Steps = [0, 10, 100, 1000];
    private static readonly Regex Canonical = new(@"^(?<file>.+)\((?<line>\d+),(?<col>\d+)\): (?<sev>error|warning) (?<code>SG\d{4}): (?<msg>.+)$", RegexOptions.Multiline);
    private string _folder = "";

    [SetUp]
    public void SetUp() => _folder = TestPaths.NewScratchFolder();

    private string Write(string name, Trajectory t)
    {
        string path = Path.Combine(_folder, name);
        TrajectoryJson.Write(path, t);
        return path;
    }

    private static Dictionary<string, string> Locally => new() { ["CI"] = "" };

    [Test]
    public void ADynamicsRegressionFailsWithSG1001AtTheStepsRecordNamingLayerMetricAndStep()
    {
        string baseline = Path.Combine(_folder, "train.trajectory.verified.json");
        TrajectoryBaselineFile.Write(baseline, TrajectoryBaseline.Of(Run(Steps, ["fc1.weight", "fc2.weight"], (_, _) => [("alpha", 3.0), ("stable_rank", 2.0)])), new TolerancePolicy());
        string run = Write("train.trajectory.json", Run(Steps, ["fc1.weight", "fc2.weight"], (l, s) => [("alpha", l == "fc2.weight" && s >= 100 ? 4.0 : 3.0), ("stable_rank", 2.0)]));

        var r = CliRunner.Run("check", run, "--baseline", baseline);

        Assert.That(r.ExitCode, Is.EqualTo(1), r.Output + r.Error);
        var m = Canonical.Matches(r.Output).Single();
        string[] lines = File.ReadAllLines(baseline);
        int line = int.Parse(m.Groups["line"].Value);
        Assert.Multiple(() =>
        {
            Assert.That(m.Groups["code"].Value, Is.EqualTo("SG1001"));
            Assert.That(m.Groups["file"].Value, Is.EqualTo(baseline));
            Assert.That(m.Groups["msg"].Value, Does.Contain("layer 'fc2.weight' alpha outside the baseline's band at 2 steps, first at step 100: baseline 3, actual 4, accepted [2.75, 3.25]"));
            Assert.That(m.Groups["msg"].Value, Does.Contain("To accept: spectralgate check").And.Contain("--accept"));
            Assert.That(lines[line - 1], Does.Contain("\"name\": \"fc2.weight\""), "points at the layer");
            Assert.That(lines.Skip(line).First(l => l.Trim().StartsWith("\"step\"")).Trim(), Is.EqualTo("\"step\": 100,"), "in the record of the first offending step");
            Assert.That(r.Output, Does.Contain("1 of 4 series moved outside their band at 2 of 16 points"));
        });
    }

    [Test]
    public void AMissingStepFailsWithSG1002NeverASilentPass()
    {
        string baseline = Path.Combine(_folder, "base.json");
        TrajectoryBaselineFile.Write(baseline, TrajectoryBaseline.Of(Alpha(Steps, _ => 3.0)), new TolerancePolicy());
        string run = Write("run.json", Alpha([0, 10, 100], _ => 3.0));

        var r = CliRunner.Run("check", run, "--baseline", baseline);

        Assert.That(r.ExitCode, Is.EqualTo(1), r.Output + r.Error);
        var m = Canonical.Matches(r.Output).Single();
        Assert.Multiple(() =>
        {
            Assert.That(m.Groups["code"].Value, Is.EqualTo("SG1002"));
            Assert.That(m.Groups["msg"].Value, Does.Contain("step 1000: baseline step 1000 is not recorded in this run"));
            Assert.That(File.ReadAllLines(baseline)[int.Parse(m.Groups["line"].Value) - 1].Trim(), Is.EqualTo("\"step\": 1000,"));
        });
    }

    [Test]
    public void AMatchingRunPassesAndInterpolationComparesAnotherGrid()
    {
        string baseline = Path.Combine(_folder, "base.json");
        TrajectoryBaselineFile.Write(baseline, TrajectoryBaseline.Of(Alpha([0, 99], s => s == 0 ? 2.0 : 4.0)), new TolerancePolicy());
        string run = Write("run.json", Alpha([0, 9, 99], s => s == 0 ? 2.0 : s == 9 ? 3.0 : 4.0));

        var recorded = CliRunner.Run("check", run, "--baseline", baseline);
        var interpolated = CliRunner.Run("check", run, "--baseline", baseline, "--interpolate");

        Assert.Multiple(() =>
        {
            Assert.That(recorded.ExitCode, Is.EqualTo(0), recorded.Output + recorded.Error);
            Assert.That(recorded.Output, Does.Contain("info: 1 full-tier steps recorded here but not in the baseline (first 9) were not compared"));
            Assert.That(interpolated.ExitCode, Is.EqualTo(0), interpolated.Output + interpolated.Error);
            Assert.That(interpolated.Output, Does.Contain("matches").And.Contain("6 points over 3 steps"));
        });
    }

    [Test]
    public void AMissingBaselineIsSG1003AndAcceptWritesItAtomicallySoTheNextCheckPasses()
    {
        string baseline = Path.Combine(_folder, "base.json");
        string run = Write("run.json", Alpha(Steps, s => 30.0 / (1 + s)));

        var missing = CliRunner.Run("check", run, "--baseline", baseline);
        var accepted = CliRunner.RunWith(null, Locally, "check", run, "--baseline", baseline, "--accept");
        var again = CliRunner.Run("check", run, "--baseline", baseline);

        Assert.Multiple(() =>
        {
            Assert.That(missing.ExitCode, Is.EqualTo(1));
            Assert.That(Canonical.Match(missing.Output).Groups["code"].Value, Is.EqualTo("SG1003"));
            Assert.That(accepted.ExitCode, Is.EqualTo(0), accepted.Output + accepted.Error);
            Assert.That(again.ExitCode, Is.EqualTo(0), again.Output + again.Error);
            Assert.That(Directory.GetFiles(_folder).Select(Path.GetFileName), Is.EquivalentTo(new[] { "base.json", "run.json" }), "no temporary file left");
            Assert.That(TrajectoryBaselineFile.Read(baseline).Baseline.Reference.Records, Has.Count.EqualTo(4));
        });
    }

    [Test]
    public void AcceptOnCiWithoutForceIsRefusedWithSG1013()
    {
        string baseline = Path.Combine(_folder, "base.json");
        string run = Write("run.json", Alpha(Steps, _ => 3.0));

        var refused = CliRunner.Run("check", run, "--baseline", baseline, "--accept");
        var forced = CliRunner.Run("check", run, "--baseline", baseline, "--accept", "--force");

        Assert.Multiple(() =>
        {
            Assert.That(refused.ExitCode, Is.EqualTo(2));
            Assert.That(Canonical.Match(refused.Output).Groups["code"].Value, Is.EqualTo("SG1013"));
            Assert.That(forced.ExitCode, Is.EqualTo(0), forced.Output + forced.Error);
        });
    }

    [Test]
    public void AnUnreadableTrajectoryIsSG1004AndAnUnreadableBaselineSG1005BothExit2()
    {
        string baseline = Path.Combine(_folder, "base.json");
        TrajectoryBaselineFile.Write(baseline, TrajectoryBaseline.Of(Alpha(Steps, _ => 3.0)), new TolerancePolicy());
        string run = Write("run.json", Alpha(Steps, _ => 3.0));
        string broken = Path.Combine(_folder, "broken.json");
        File.WriteAllText(broken, "{\"records\": [");

        var badRun = CliRunner.Run("check", broken, "--baseline", baseline);
        var badBaseline = CliRunner.Run("check", run, "--baseline", broken);
        var computeOption = CliRunner.Run("check", run, "--baseline", baseline, "--sketch");

        Assert.Multiple(() =>
        {
            Assert.That((badRun.ExitCode, Canonical.Match(badRun.Output).Groups["code"].Value), Is.EqualTo((2, "SG1004")));
            Assert.That(badRun.Output, Does.Contain(broken));
            Assert.That((badBaseline.ExitCode, Canonical.Match(badBaseline.Output).Groups["code"].Value), Is.EqualTo((2, "SG1005")));
            Assert.That(computeOption.ExitCode, Is.EqualTo(2));
            Assert.That(computeOption.Error, Does.Contain("--sketch does not apply to a trajectory"));
        });
    }

    [Test]
    public void BaselineFromBuildsAMultiSeedBandTheGateJudgesAgainst()
    {
        double[] seedValues = [3.0, 3.2, 3.4];
        var seeds = seedValues.Select((v, i) => Write($"seed{i}.json", Alpha(Steps, _ => v))).ToList();
        string baseline = Path.Combine(_folder, "base.json");

        var built = CliRunner.Run(["baseline-from", .. seeds, "-o", baseline, "--band", "mean-sd"]);
        var inside = CliRunner.Run("check", Write("inside.json", Alpha(Steps, _ => 3.9)), "--baseline", baseline);
        var outside = CliRunner.Run("check", Write("outside.json", Alpha(Steps, _ => 4.2)), "--baseline", baseline);
        var tooFew = CliRunner.Run(["baseline-from", seeds[0], seeds[1], "-o", Path.Combine(_folder, "two.json"), "--band", "mean-sd"]);

        Assert.Multiple(() =>
        {
            Assert.That(built.ExitCode, Is.EqualTo(0), built.Output + built.Error);
            Assert.That(built.Output, Does.Contain("mean ± 3·sd baseline of 3 seeds"));
            // mean 3.2, sd 0.2, k 3: core [2.6, 3.8], high edge 3.8 + 0.1 + 0.05·3.8 = 4.09.
            Assert.That(inside.ExitCode, Is.EqualTo(0), inside.Output);
            Assert.That(outside.ExitCode, Is.EqualTo(1), outside.Output);
            Assert.That(outside.Output, Does.Contain("accepted [2.37, 4.09]"));
            Assert.That(tooFew.ExitCode, Is.EqualTo(2));
            Assert.That(tooFew.Error, Does.Contain("at least 3 seed trajectories; 2 given"));
        });
    }
}
