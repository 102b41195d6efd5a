using System.Text;
using SpectralGate.Engine.Baselines;
using SpectralGate.Engine.Signatures;
using SpectralGate.Engine.Sources.Safetensors;
using SpectralGate.Tests.Support;
using static TorchSharp.torch;

namespace SpectralGate.Cli.Tests;

/// <summary>
/// A baseline accepted in one checkout passes in another folder, records no absolute path, and accepting it again with
/// the same command writes the same bytes; failures print the exact command that accepts them.
/// </summary>
public class PortableBaselineTests
{
    private const string ModelFile = "models/m.safetensors";
    private const string BaselineFile = "baselines/m.spectral.json";

    private static string Checkout()
    {
        string root = TestPaths.NewScratchFolder();
        Directory.CreateDirectory(Path.Combine(root, "models"));
        Directory.CreateDirectory(Path.Combine(root, "baselines"));
        using var w = randn([48, 40], generator: new Generator(3));
        using var v = randn([40, 24], generator: new Generator(5));
        File.Copy(SafetensorsFixtures.Write(SafetensorsWriter.Float32("fc1.weight", [48, 40], w.data<float>().ToArray()),
            SafetensorsWriter.Float32("fc2.weight", [40, 24], v.data<float>().ToArray())), Path.Combine(root, ModelFile));
        return root;
    }

    private static void CopyTree(string from, string to)
    {
        foreach (string file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            string target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    private static CliRunner.Result Accept(string root, string model, string baseline, params string[] extra) =>
        CliRunner.RunIn(root, ["check", model, "--baseline", baseline, "--accept", "--force", .. extra]);

    [Test]
    public void ABaselineAcceptedInOneFolderPassesUnchangedInAnother()
    {
        string first = Checkout();
        var accepted = Accept(first, ModelFile, BaselineFile);
        Assert.That(accepted.ExitCode, Is.Zero, accepted.Error);
        byte[] bytes = File.ReadAllBytes(Path.Combine(first, BaselineFile));
        string text = Encoding.UTF8.GetString(bytes);

        string second = TestPaths.NewScratchFolder();
        CopyTree(first, second);
        // MSBuild passes full paths: the recorded path must not depend on how the paths were given.
        var check = CliRunner.RunIn(second, "check", Path.Combine(second, ModelFile), "--baseline", Path.Combine(second, BaselineFile));
        var again = Accept(second, Path.Combine(second, ModelFile), Path.Combine(second, BaselineFile));

        Assert.Multiple(() =>
        {
            Assert.That(text, Does.Contain("\"path\": \"../models/m.safetensors\""));
            Assert.That(text, Does.Not.Contain(first.Replace('\\', '/')).And.Not.Contain(Path.GetTempPath().Replace('\\', '/')));
            Assert.That(check.ExitCode, Is.Zero, check.Output + check.Error);
            Assert.That(again.ExitCode, Is.Zero, again.Error);
            Assert.That(File.ReadAllBytes(Path.Combine(second, BaselineFile)), Is.EqualTo(bytes), "accepting in the moved checkout changes no byte");
        });
    }

    [Test]
    public void AcceptingTwiceWithTheSameToleranceGivesTheSameBytesAndOneRule()
    {
        string root = Checkout();
        Assert.That(Accept(root, ModelFile, BaselineFile, "--tolerance", "alpha=0.2,0.05").ExitCode, Is.Zero);
        byte[] once = File.ReadAllBytes(Path.Combine(root, BaselineFile));
        Assert.That(Accept(root, ModelFile, BaselineFile, "--tolerance", "alpha=0.2,0.05").ExitCode, Is.Zero);
        byte[] twice = File.ReadAllBytes(Path.Combine(root, BaselineFile));
        Assert.That(Accept(root, ModelFile, BaselineFile).ExitCode, Is.Zero);

        Assert.Multiple(() =>
        {
            Assert.That(twice, Is.EqualTo(once));
            Assert.That(global::SpectralGate.Engine.Baselines.BaselineFile.Read(Path.Combine(root, BaselineFile)).Rules,
                Is.EqualTo(new[] { new ToleranceRule("**", "alpha", new Tolerance(0.2, 0.05)) }), "an accept without --tolerance keeps the recorded rule");
        });
    }

    [Test]
    public void AFailureNamesTheExactAcceptCommandForThisModelAndBaseline()
    {
        string root = Checkout();
        Assert.That(Accept(root, ModelFile, BaselineFile, "--dtype", "float32").ExitCode, Is.Zero);
        using var other = randn([48, 40], generator: new Generator(4)) * 3;
        using var v = randn([40, 24], generator: new Generator(5));
        File.Copy(SafetensorsFixtures.Write(SafetensorsWriter.Float32("fc1.weight", [48, 40], other.data<float>().ToArray()),
            SafetensorsWriter.Float32("fc2.weight", [40, 24], v.data<float>().ToArray())), Path.Combine(root, ModelFile), overwrite: true);

        var check = CliRunner.RunIn(root, "check", ModelFile, "--baseline", BaselineFile, "--dtype", "float32");

        Assert.Multiple(() =>
        {
            Assert.That(check.ExitCode, Is.EqualTo(1), check.Error);
            Assert.That(check.Output, Does.Contain("To accept: spectralgate check models/m.safetensors --baseline baselines/m.spectral.json --dtype float32 --accept."));
            Assert.That(check.Output, Does.Contain("spectralgate: 1 of 2 compared layers changed; largest relative change "));
        });
    }

    [Test]
    public void ShardsComputedInDifferentFoldersMerge()
    {
        string first = Checkout();
        string second = TestPaths.NewScratchFolder();
        CopyTree(first, second);
        SpectralSignature Shard(string root, int index)
        {
            using var source = new SafetensorsFileSource(Path.Combine(root, ModelFile));
            return SpectralEngine.Compute(source, new SignatureOptions { Shard = new ShardSpec(index, 2) });
        }
        using var whole = new SafetensorsFileSource(Path.Combine(first, ModelFile));

        var merged = SignatureMerge.Merge([("a.json", Shard(first, 1)), ("b.json", Shard(second, 2))]);

        Assert.That(SignatureJson.ToBytes(merged), Is.EqualTo(SignatureJson.ToBytes(SpectralEngine.Compute(whole))));
    }
}
