using SpectralGate.Engine.Gate;
using SpectralGate.Tests.Support;

namespace SpectralGate.Engine.Tests.Gate;

/// <summary>
/// The SG1xxx codes are a contract with build logs, SARIF viewers, NoWarn lists and scripts that grep them: each code's
/// name and kind, read from <see cref="GateRules.All"/>, must match the reviewed docs/surface/gate-codes.txt. A code is
/// never reused for another meaning; a retired one stays listed in the file's history, not given away.
/// </summary>
public class GateCodeSurfaceTests
{
    private static readonly string[] Header =
    [
        "The spectral gate's diagnostic codes: code = rule name, severity, and 'environment' for a code that says the check could not run here (exit code 3).",
        "Held by tests/SpectralGate.Engine.Tests/Gate/GateCodeSurfaceTests against GateRules.All (the [GateRule] constants of GateCodes).",
        "A change here can break NoWarn lists, SARIF baselines and scripts: review it, list it in CHANGELOG.md, then accept (docs/compatibility.md).",
    ];

    [Test]
    public void TheGateCodesMatchTheReviewedSurface() =>
        SurfaceContract.AssertUnchanged(TestPaths.RepositoryRoot, "gate-codes.txt", Header,
            GateRules.All.Select(r => $"{r.Id} = {r.Name}, {(r.IsError ? "error" : "warning")}{(r.IsEnvironmentFailure ? ", environment" : "")}"));
}
