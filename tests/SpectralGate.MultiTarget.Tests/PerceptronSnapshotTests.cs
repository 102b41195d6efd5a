using System.Reflection;
using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using SpectralAssert.Snapshots;

namespace SpectralGate.MultiTarget.Tests;

/// <summary>
/// Snapshots of the perceptrons, one verified file each whatever the framework. Each test prints the framework it was
/// built for and the runtime it runs on, so the caller can check that both frameworks ran.
/// </summary>
public class PerceptronSnapshotTests
{
    [Test]
    public void TwoLayers()
    {
        Report();
        using var model = Perceptrons.TwoLayers();
        SpectralSnapshot.Verify(model);
    }

    [TestCase(24)]
    [TestCase(40)]
    public void Wide(int width)
    {
        Report();
        using var model = Perceptrons.Wide(width);
        SpectralSnapshot.Verify(model);
    }

    private static void Report() =>
        TestContext.Out.WriteLine($"target {typeof(PerceptronSnapshotTests).Assembly.GetCustomAttribute<TargetFrameworkAttribute>()?.FrameworkName}; "
            + $"runtime {RuntimeInformation.FrameworkDescription}");
}
