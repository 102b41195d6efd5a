using SpectralGate.Engine.Runtime;

/// <summary>Runs before any test creates a tensor, as the CLI's first line does, so libtorch sees the huge-page switch.</summary>
[SetUpFixture]
public sealed class AssemblySetUp
{
    public static string? HugePagesVariableAtStart { get; private set; }

    [OneTimeSetUp]
    public void RequestHugePages()
    {
        HugePagesVariableAtStart = Environment.GetEnvironmentVariable(TorchHugePages.VariableName);
        TorchHugePages.Request();
    }
}
