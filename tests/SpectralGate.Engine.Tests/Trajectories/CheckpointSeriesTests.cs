using SpectralGate.Engine.Errors;
using SpectralGate.Engine.Trajectories;
using SpectralGate.Tests.Support;

namespace SpectralGate.Engine.Tests.Trajectories;

public class CheckpointSeriesTests
{
    private static string Touch(string folder, string relative)
    {
        string path = Path.Combine(folder, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, [0]);
        return path;
    }

    [TestCase("step-9.safetensors", 9)]
    [TestCase("step_0010.pt", 10)]
    [TestCase("model_epoch3_step1200.safetensors", 1200)]
    [TestCase("gpt2-step-500.safetensors", 500)]
    [TestCase("global_step42.bin", 42)]
    [TestCase("iter_300.dat", 300)]
    [TestCase("ckpt-7.onnx", 7)]
    [TestCase("epoch12.pt", 12)]
    [TestCase("checkpoint-500", 500)]
    [TestCase("run_77.safetensors", 77)]
    public void TheStepIsReadFromTheName(string name, long step)
    {
        Assert.That(CheckpointSeries.ReadStep(name, name, null), Is.EqualTo(step));
    }

    [TestCase("final.safetensors", "holds no number")]
    [TestCase("gpt2_v3_final.safetensors", "holds 2 numbers")]
    [TestCase("step-99999999999999999999.pt", "not a whole number below 2^63")]
    public void ANameWhoseStepCannotBeReadIsRefusedNamingTheFile(string name, string problem)
    {
        var e = Assert.Throws<ModelFormatException>(() => CheckpointSeries.ReadStep("runs/" + name, name, null));
        Assert.That(e!.Message, Does.StartWith($"runs/{name}: the step cannot be read").And.Contain(problem));
    }

    [Test]
    public void StepsAreComparedAsNumbersNotAsText()
    {
        string folder = TestPaths.NewScratchFolder();
        foreach (string name in new[] { "step-10.safetensors", "step-9.safetensors", "step-100.safetensors", "step-1000.safetensors" }) Touch(folder, name);

        var discovery = CheckpointSeries.Discover([folder]);

        Assert.That(discovery.Checkpoints.Select(c => c.Step), Is.EqualTo(new long[] { 9, 10, 100, 1000 }));
    }

    [Test]
    public void AFolderOfHuggingFaceCheckpointsTakesTheStepFromEachFolderAndListsWhatItIgnored()
    {
        string folder = TestPaths.NewScratchFolder();
        Touch(folder, "checkpoint-500/model.safetensors");
        Touch(folder, "checkpoint-500/optimizer.pt");
        Touch(folder, "checkpoint-90/model.safetensors.index.json");
        Touch(folder, "checkpoint-90/model-00001-of-00002.safetensors");
        Touch(folder, "runs/events.out");
        Touch(folder, "trainer_state.json");

        var discovery = CheckpointSeries.Discover([folder]);

        Assert.Multiple(() =>
        {
            Assert.That(discovery.Checkpoints.Select(c => (c.Step, Path.GetRelativePath(folder, c.Path).Replace('\\', '/'))),
                Is.EqualTo(new[] { (90L, "checkpoint-90/model.safetensors.index.json"), (500L, "checkpoint-500/model.safetensors") }));
            Assert.That(discovery.Ignored.Select(i => Path.GetFileName(i)), Is.EqualTo(new[] { "runs", "trainer_state.json" }));
        });
    }

    [Test]
    public void AModelFileNamedWithoutANumberTakesItsStepFromItsFolder()
    {
        string folder = TestPaths.NewScratchFolder();
        string file = Touch(folder, "checkpoint-300/model.safetensors");

        Assert.That(CheckpointSeries.Discover([file]).Checkpoints.Single().Step, Is.EqualTo(300));
    }

    [Test]
    public void GlobsMatchFilesAndCheckpointFoldersAcrossFolders()
    {
        string folder = TestPaths.NewScratchFolder();
        Touch(folder, "a/step-1.safetensors");
        Touch(folder, "a/deep/step-2.safetensors");
        Touch(folder, "b/step-3.safetensors");
        Touch(folder, "b/notes-4.txt");
        Touch(folder, "hf/checkpoint-4/model.safetensors");
        string root = folder.Replace('\\', '/');

        Assert.Multiple(() =>
        {
            Assert.That(CheckpointSeries.Discover([root + "/*/step-*.safetensors"]).Checkpoints.Select(c => c.Step), Is.EqualTo(new long[] { 1, 3 }));
            Assert.That(CheckpointSeries.Discover([root + "/**/step-*.safetensors"]).Checkpoints.Select(c => c.Step), Is.EqualTo(new long[] { 1, 2, 3 }));
            Assert.That(CheckpointSeries.Discover([root + "/hf/checkpoint-*"]).Checkpoints.Select(c => c.Step), Is.EqualTo(new long[] { 4 }));
            var b = CheckpointSeries.Discover([root + "/b/*"]);
            Assert.That(b.Checkpoints.Select(c => c.Step), Is.EqualTo(new long[] { 3 }));
            Assert.That(b.Ignored.Select(Path.GetFileName), Is.EqualTo(new[] { "notes-4.txt" }));
        });
    }

    [Test]
    public void AStepPatternWithOneGroupPicksTheNumber()
    {
        string folder = TestPaths.NewScratchFolder();
        Touch(folder, "v2_e3_s700.pt");
        Touch(folder, "v2_e3_s80.pt");

        var discovery = CheckpointSeries.Discover([folder], @"_s(\d+)\.pt$");

        Assert.That(discovery.Checkpoints.Select(c => c.Step), Is.EqualTo(new long[] { 80, 700 }));
    }

    [Test]
    public void AStepPatternThatDoesNotMatchOneFileIsRefusedNamingIt()
    {
        string folder = TestPaths.NewScratchFolder();
        Touch(folder, "s700.pt");
        string odd = Touch(folder, "final.pt");

        var e = Assert.Throws<ModelFormatException>(() => CheckpointSeries.Discover([folder], @"s(\d+)"));

        Assert.That(e!.Message, Does.StartWith(odd + ": the step cannot be read: --step-pattern 's(\\d+)' does not match 'final.pt'"));
    }

    [TestCase(@"\d+", "has 0 capture groups")]
    [TestCase(@"(\d+)-(\d+)", "has 2 capture groups")]
    [TestCase(@"(\d+", "is not a valid regular expression")]
    public void AStepPatternWithoutExactlyOneGroupIsRefused(string pattern, string problem)
    {
        Assert.That(Assert.Throws<ArgumentException>(() => CheckpointSeries.CompilePattern(pattern))!.Message, Does.Contain(problem));
    }

    [Test]
    public void TwoCheckpointsAtOneStepAreRefusedNamingBoth()
    {
        string folder = TestPaths.NewScratchFolder();
        string a = Touch(folder, "step-10.safetensors");
        string b = Touch(folder, "step-010.pt");

        var e = Assert.Throws<ModelFormatException>(() => CheckpointSeries.Discover([folder]));

        Assert.That(e!.Message, Does.Contain("is at step 10").And.Contain(Path.GetFileName(a)).And.Contain(Path.GetFileName(b)));
    }

    [Test]
    public void APathThatFindsNothingIsRefused()
    {
        string folder = TestPaths.NewScratchFolder();
        Touch(folder, "readme.md");

        Assert.Multiple(() =>
        {
            Assert.That(Assert.Throws<ModelFormatException>(() => CheckpointSeries.Discover([folder]))!.Message, Does.Contain("holds no checkpoint"));
            Assert.That(Assert.Throws<ModelFormatException>(() => CheckpointSeries.Discover([folder + "/step-*.pt"]))!.Message, Does.Contain("matches no checkpoint"));
            Assert.That(Assert.Throws<ModelFormatException>(() => CheckpointSeries.Discover([folder + "/missing.pt"]))!.Message, Does.Contain("file or folder not found"));
        });
    }
}
