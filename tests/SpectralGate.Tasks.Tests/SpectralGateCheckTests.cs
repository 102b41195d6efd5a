namespace SpectralGate.Tasks.Tests;

public class SpectralGateCheckTests
{
    [Test]
    public void CommandLineRunsTheCliWithEveryOptionQuoted()
    {
        var task = new SpectralGateCheck
        {
            Model = "/models/my model.safetensors",
            Baseline = "/baselines/my model.spectral.json",
            CliPath = "/tools/spectralgate.dll",
            IncludeTensors = ["blocks.*.weight"],
            ExcludeTensors = ["lm_head.weight"],
            Tolerances = ["alpha=0.2,0.05", "fc*:stable_rank=0,0.1"],
            Device = "cuda",
            Precision = "float32",
            Sketch = true,
            Farms = true,
            WarnOnly = true,
            FailOnEquivalentChange = true,
        };

        Assert.That(task.BuildCommandLine(), Is.EqualTo(
            "/tools/spectralgate.dll check \"/models/my model.safetensors\" --baseline \"/baselines/my model.spectral.json\" "
            + "--include \"blocks.*.weight\" --exclude lm_head.weight --tolerance \"alpha=0.2,0.05\" --tolerance \"fc*:stable_rank=0,0.1\" "
            + "--device cuda --dtype float32 --sketch --farms --fail-on-equivalent-change --warn --accept-hint \"dotnet build -p:SpectralGateAccept=true\""));
    }

    [Test]
    public void ATrajectoryModelPassesInterpolate()
    {
        var task = new SpectralGateCheck { Model = "runs/train.trajectory.json", Baseline = "b.json", CliPath = "/tools/spectralgate.dll", Interpolate = true };

        Assert.That(task.BuildCommandLine(), Does.StartWith("/tools/spectralgate.dll check runs/train.trajectory.json --baseline b.json --interpolate "));
    }

    [Test]
    public void WithoutACliPathTheLocalDotnetToolRuns()
    {
        var task = new SpectralGateCheck { Model = "m.onnx", Baseline = "b.json", Accept = true, Force = true };

        Assert.That(task.BuildCommandLine(), Does.StartWith("tool run spectralgate check m.onnx --baseline b.json --accept --force"));
    }

    private ScratchFolder? _cliFolder;

    [TearDown]
    public void RemoveTheFakeCli() => _cliFolder?.Dispose();

    /// <summary>A stand-in CLI: a shell script that prints what the real one prints and exits with its code.</summary>
    private (SpectralGateCheck Task, RecordingBuildEngine Engine) WithFakeCli(string output, int exitCode)
    {
        _cliFolder = ScratchFolder.Create("sg-task");
        string script = Path.Combine(_cliFolder.Path, "fake-cli.sh");
        File.WriteAllText(script, $"cat <<'OUT'\n{output}\nOUT\nexit {exitCode}\n");
        var engine = new RecordingBuildEngine();
        var task = new SpectralGateCheck
        {
            BuildEngine = engine,
            ToolPath = "/bin",
            ToolExe = "sh",
            CliPath = script,
            Model = "model.safetensors",
            Baseline = "baseline.json",
        };
        return (task, engine);
    }

    [Test]
    public void CanonicalDiagnosticsBecomeLocatedErrorsWithTheirCodes()
    {
        var (task, engine) = WithFakeCli(
            "/repo/baselines/m.spectral.json(57,7): error SG1001: layer 'fc2.weight': stable_rank 8.99 -> 31.2. To accept: dotnet build -p:SpectralGateAccept=true.\n"
            + "/repo/baselines/m.spectral.json(1,1): error SG1002: layer 'fc3.weight': layer added (shape [4, 4]). To accept: dotnet build -p:SpectralGateAccept=true.",
            exitCode: 1);

        bool result = task.Execute();

        Assert.Multiple(() =>
        {
            Assert.That(result, Is.False);
            Assert.That(engine.Errors.Select(e => (e.Code, e.File, e.LineNumber, e.ColumnNumber)), Is.EqualTo(new[]
            {
                ("SG1001", "/repo/baselines/m.spectral.json", 57, 7),
                ("SG1002", "/repo/baselines/m.spectral.json", 1, 1),
            }));
            Assert.That(engine.Errors.Any(e => e.Code == "MSB6006"), Is.False, "no generic 'exited with code' error on top");
        });
    }

    [Test]
    public void WarningsDoNotFailTheBuild()
    {
        var (task, engine) = WithFakeCli("/b.json(9,7): warning SG1001: layer 'w': alpha 3 -> 3.5.", exitCode: 0);

        Assert.That(task.Execute(), Is.True);
        Assert.That(engine.Warnings.Single().Code, Is.EqualTo("SG1001"));
        Assert.That(engine.Errors, Is.Empty);
    }

    [Test]
    public void AnExitWithoutADiagnosticIsAToolFailureNeverARegression()
    {
        var (task, engine) = WithFakeCli("something went wrong", exitCode: 1);

        Assert.That(task.Execute(), Is.False);
        var error = engine.Errors.Single();
        Assert.That(error.Code, Is.EqualTo("SG1008"));
        Assert.That(error.Message, Does.Contain("exited with code 1 without a diagnostic").And.Contain("something went wrong")
            .And.Contain("model 'model.safetensors'").And.Contain("dotnet tool install SpectralGate.Cli"));
    }

    [Test]
    public void ACrashIsAToolFailureNamingTheExitCode()
    {
        var (task, engine) = WithFakeCli("Unhandled exception. System.AccessViolationException: Attempted to read protected memory.", exitCode: 134);

        Assert.That(task.Execute(), Is.False);
        Assert.That(engine.Errors.Single().Code, Is.EqualTo("SG1008"));
        Assert.That(engine.Errors.Single().Message, Does.StartWith("spectralgate crashed (exit code 134)"));
    }

    [Test]
    public void ADiagnosedFailureAddsNothingOnTop()
    {
        var (task, engine) = WithFakeCli("/m.safetensors(1,1): error SG1011: device 'cuda' was asked for but no CUDA runtime is loaded.", exitCode: 3);

        Assert.That(task.Execute(), Is.False);
        Assert.That(engine.Errors.Select(e => e.Code), Is.EqualTo(new[] { "SG1011" }));
    }

    [Test]
    public void ACliPathThatDoesNotExistIsAToolFailure()
    {
        var engine = new RecordingBuildEngine();
        var task = new SpectralGateCheck { BuildEngine = engine, CliPath = "/nowhere/spectralgate.dll", Model = "m.onnx", Baseline = "b.json" };

        Assert.That(task.Execute(), Is.False);
        Assert.That(engine.Errors.Single().Code, Is.EqualTo("SG1008"));
        Assert.That(engine.Errors.Single().Message, Does.Contain("SpectralGateCliPath '/nowhere/spectralgate.dll' does not exist"));
    }

    [Test]
    public void NoToolManifestIsAToolFailureWithTheInstallCommand()
    {
        // The real `dotnet tool run spectralgate`, in a folder with no tool manifest above it.
        using var folder = ScratchFolder.Create("sg-no-manifest");
        var engine = new RecordingBuildEngine();
        var task = new SpectralGateCheck { BuildEngine = engine, ProjectDirectory = folder.Path, Model = "m.onnx", Baseline = "b.json" };

        Assert.That(task.Execute(), Is.False);
        var error = engine.Errors.Single();
        Assert.That(error.Code, Is.EqualTo("SG1008"));
        Assert.That(error.Message, Does.StartWith("the spectralgate tool is not installed for this project").And.Contain("dotnet new tool-manifest"));
    }

    [Test]
    public void AcceptingTellsTheCliWhichMsBuildSwitchForcesIt()
    {
        var task = new SpectralGateCheck { Model = "m.onnx", Baseline = "b.json", CliPath = "/t/spectralgate.dll", Accept = true };

        Assert.That(task.BuildCommandLine(), Does.Contain("--accept --force-hint \"pass -p:SpectralGateForceAccept=true\""));
    }

    [Test]
    public void ASuccessfulCheckLogsNoError()
    {
        var (task, engine) = WithFakeCli("spectralgate: model.safetensors matches baseline.json (3 layers).", exitCode: 0);

        Assert.That(task.Execute(), Is.True);
        Assert.That(engine.Errors, Is.Empty);
        Assert.That(engine.Messages, Has.Some.Contains("matches"));
    }
}
