using System.Runtime.InteropServices;
using SpectralGate.Engine.Runtime;
using TorchSharp;

namespace SpectralGate.Engine.Tests.Runtime;

[NonParallelizable]
public class TorchHugePagesTests
{
    [Test]
    public void TheNativeEnvironmentCarriesTheSwitchUnlessTheUserSetIt()
    {
        Assume.That(OperatingSystem.IsLinux(), "the switch is Linux-only");
        string expected = AssemblySetUp.HugePagesVariableAtStart ?? "1";
        Assert.That(Marshal.PtrToStringAnsi(getenv(TorchHugePages.VariableName)), Is.EqualTo(expected));
    }

    [Test]
    public void ALargeTensorIsBackedByHugePagesWhenTheKernelAllowsThem()
    {
        Assume.That(OperatingSystem.IsLinux(), "the switch is Linux-only");
        string mode = File.ReadAllText("/sys/kernel/mm/transparent_hugepage/enabled");
        long before = AnonHugePagesKiB();
        using var tensor = torch.ones(64L << 20, dtype: torch.ScalarType.Float32); // 256 MiB, touched by the fill
        long grown = AnonHugePagesKiB() - before;
        if (mode.Contains("[never]") || AssemblySetUp.HugePagesVariableAtStart == "0")
            Assert.That(grown, Is.EqualTo(0), "no huge pages where the kernel or the user turned them off");
        else
            Assert.That(grown, Is.GreaterThanOrEqualTo(128L << 10), $"at least half of the 256 MiB tensor on huge pages (THP mode: {mode.Trim()})");
    }

    private static long AnonHugePagesKiB() =>
        File.ReadLines("/proc/self/smaps_rollup").Where(l => l.StartsWith("AnonHugePages:", StringComparison.Ordinal))
            .Select(l => long.Parse(l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture)).Single();

    [DllImport("libc.so.6", CharSet = CharSet.Ansi)]
    private static extern IntPtr getenv(string name);
}
