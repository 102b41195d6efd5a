using Microsoft.Build.Utilities;

namespace SpectralGate.Tasks.Tests;

public class SpectralGateResolveModelsTests
{
    private ScratchFolder _folder = null!;
    private string _project = "";

    [SetUp]
    public void CreateTheProjectFolder()
    {
        _folder = ScratchFolder.Create("sg-resolve");
        _project = _folder.Path;
        Directory.CreateDirectory(Path.Combine(_project, "baselines"));
    }

    [TearDown]
    public void RemoveTheProjectFolder() => _folder.Dispose();

    private (SpectralGateResolveModels Task, RecordingBuildEngine Engine) Resolve(bool warnOnly = false, string cliPath = "", params TaskItem[] models)
    {
        var engine = new RecordingBuildEngine();
        var task = new SpectralGateResolveModels
        {
            BuildEngine = engine,
            Models = models,
            ProjectDirectory = _project,
            BaselineDirectory = Path.Combine(_project, "baselines") + "/",
            StampDirectory = Path.Combine(_project, "obj", "spectralgate") + "/",
            WarnOnly = warnOnly,
            CliPath = cliPath,
        };
        return (task, engine);
    }

    private static TaskItem Model(string path, params (string Name, string Value)[] metadata)
    {
        var item = new TaskItem(path);
        foreach (var (name, value) in metadata) item.SetMetadata(name, value);
        return item;
    }

    [Test]
    public void TwoItemsWithOneDefaultBaselineAreRefusedNamingBoth()
    {
        var (task, engine) = Resolve(models: [Model("a/encoder.safetensors"), Model("b/encoder.safetensors")]);

        Assert.That(task.Execute(), Is.False);
        var error = engine.Errors.Single();
        Assert.That(error.Code, Is.EqualTo("SG1012"));
        Assert.That(error.Message, Does.Contain("'a/encoder.safetensors' and 'b/encoder.safetensors'").And.Contain(Path.Combine(_project, "baselines", "encoder.spectral.json")));
    }

    [Test]
    public void ItemsWithTheSameFileNameButTheirOwnBaselinesAreFine()
    {
        var (task, engine) = Resolve(models: [Model("a/encoder.safetensors"), Model("b/encoder.safetensors", ("Baseline", "baselines/b-encoder.spectral.json"))]);

        Assert.That(task.Execute(), Is.True, string.Join("\n", engine.Errors.Select(e => e.Message)));
        Assert.That(task.ResolvedModels.Select(m => m.GetMetadata("Stamp")).Distinct().Count(), Is.EqualTo(2));
    }

    [Test]
    public void ABaselineNoItemUsesIsStaleAndAMissingModelIsNot()
    {
        File.WriteAllText(Path.Combine(_project, "baselines", "removed.spectral.json"), "{}");
        File.WriteAllText(Path.Combine(_project, "baselines", "typo.spectral.json"), "{}");
        File.WriteAllText(Path.Combine(_project, "baselines", "t.spectral.verified.json"), "{}"); // a snapshot test's, not the gate's

        // The item with a typo still claims its baseline: its check reports SG1004 "file not found" instead.
        var (task, engine) = Resolve(models: [Model("models/typo.safetensors")]);

        Assert.That(task.Execute(), Is.False);
        var error = engine.Errors.Single();
        Assert.That(error.Code, Is.EqualTo("SG1006"));
        Assert.That(error.File, Is.EqualTo(Path.Combine(_project, "baselines", "removed.spectral.json")));
        Assert.That(error.Message, Does.Contain("no SpectralModel item"));
    }

    private string OptionsAfter(bool warnOnly, string cliPath = "", params (string, string)[] metadata)
    {
        var (task, _) = Resolve(warnOnly, cliPath, Model("m.safetensors", metadata));
        Assert.That(task.Execute(), Is.True);
        return task.ResolvedModels.Single().GetMetadata("OptionsFile");
    }

    [Test]
    public void TheOptionsFileIsRewrittenOnlyWhenAnOptionChanges()
    {
        string file = OptionsAfter(warnOnly: false);
        File.SetLastWriteTimeUtc(file, new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc));
        DateTime Written() => File.GetLastWriteTimeUtc(file);

        OptionsAfter(warnOnly: false);
        DateTime unchanged = Written();
        OptionsAfter(warnOnly: true);
        string warnOnly = File.ReadAllText(file);
        DateTime afterWarnOnly = Written();
        OptionsAfter(warnOnly: true, "", ("Tolerances", "alpha=0.5"));
        string tolerances = File.ReadAllText(file);

        Assert.Multiple(() =>
        {
            Assert.That(unchanged, Is.EqualTo(new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc)), "same options: the check may skip");
            Assert.That(afterWarnOnly, Is.GreaterThan(unchanged), "a warn-only stamp must not let a strict build skip");
            Assert.That(warnOnly, Does.Contain("WarnOnly=true"));
            Assert.That(tolerances, Does.Contain("Tolerances=alpha=0.5"));
        });
    }

    [Test]
    public void TheOptionsRecordTheCliVersionPinnedInTheToolManifest()
    {
        Directory.CreateDirectory(Path.Combine(_project, ".config"));
        string manifest = Path.Combine(_project, ".config", "dotnet-tools.json");
        File.WriteAllText(manifest, """{ "version": 1, "isRoot": true, "tools": { "spectralgate.cli": { "version": "1.2.0", "commands": ["spectralgate"] } } }""");
        string file = OptionsAfter(warnOnly: false);
        string before = File.ReadAllText(file);
        File.WriteAllText(manifest, """{ "version": 1, "isRoot": true, "tools": { "spectralgate.cli": { "version": "1.3.0", "commands": ["spectralgate"] } } }""");

        OptionsAfter(warnOnly: false);

        Assert.That(before, Does.Contain("CliVersion=1.2.0").And.Contain(manifest));
        Assert.That(File.ReadAllText(file), Does.Contain("CliVersion=1.3.0"));
    }

    [Test]
    public void TheOptionsRecordTheVersionOfTheCliAtSpectralGateCliPath()
    {
        string cli = Path.Combine(AppContext.BaseDirectory, "spectralgate.dll");
        string version = System.Diagnostics.FileVersionInfo.GetVersionInfo(cli).ProductVersion!;

        string file = OptionsAfter(warnOnly: false, cli);

        Assert.That(version, Is.Not.Empty);
        Assert.That(File.ReadAllText(file), Does.Contain($"Cli={cli}\nCliVersion={version}\n"));
    }
}
