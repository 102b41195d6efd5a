using SpectralGate.Engine.Baselines;
using SpectralGate.Engine.Gate;
using SpectralGate.Engine.Signatures;
using SpectralGate.Engine.Sources;
using SpectralGate.Tests.Support;

namespace SpectralGate.Engine.Tests.Sources.Quantized;

/// <summary>A gate run that speaks for a minority of the model's weights warns SG1017 and still passes; a decoded one does not warn.</summary>
public class MinorityAnalysedGateTests
{
    private static GateResult Check(bool withConfig)
    {
        string folder = TestPaths.NewScratchFolder();
        string model = QuantizedCheckpoints.Gptq(4, 32, v2: false, actOrder: false).Write(folder, withConfig);
        using (var source = ModelSources.Open(model))
            BaselineFile.Write(Path.Combine(folder, "model.spectral.json"), SpectralEngine.Compute(source), new TolerancePolicy());
        return GateCheck.Run(new GateRequest { ModelPath = model, BaselinePath = Path.Combine(folder, "model.spectral.json"), AcceptHint = "accept" });
    }

    [Test]
    public void AMinorityAnalysedIsWarningSG1017AndTheCheckStillPasses()
    {
        var result = Check(withConfig: false);

        Assert.That(result.HasErrors, Is.False, string.Join("\n", result.Diagnostics));
        var warning = result.Diagnostics.Single();
        Assert.That((warning.Code, warning.IsError), Is.EqualTo((GateCodes.MinorityAnalysed, false)));
        Assert.That(warning.Message, Does.StartWith("only 2 of 16 weight matrices analysed; 14 unrecognised quantization weights not decoded."));
        Assert.That(GateRules.All.Single(r => r.Id == GateCodes.MinorityAnalysed).IsError, Is.False);
    }

    [Test]
    public void ADecodedCheckpointDoesNotWarn()
    {
        var result = Check(withConfig: true);

        Assert.That(result.Diagnostics, Is.Empty, string.Join("\n", result.Diagnostics));
    }
}
