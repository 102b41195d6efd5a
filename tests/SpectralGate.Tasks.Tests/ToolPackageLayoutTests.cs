using System.IO.Compression;
using System.Xml.Linq;

namespace SpectralGate.Tasks.Tests;

/// <summary>
/// The RID-specific tool packages (.NET 10 SDK's <c>ToolPackageRuntimeIdentifiers</c>): the pointer package lists a
/// package per RID and carries no implementation; each RID package carries the tool and that platform's libtorch CPU
/// and LibTorchSharp natives, under the platform's own file names, and no other platform's. Only linux-x64 is ever
/// run here (ToolPackageEndToEndTests); Windows and macOS are checked by layout only (docs/install.md).
/// </summary>
[Category("EndToEnd")]
[NonParallelizable]
public class ToolPackageLayoutTests
{
    private static readonly Dictionary<string, string[]> NativesByRid = new()
    {
        ["linux-x64"] = ["libtorch_cpu.so", "libtorch.so", "libLibTorchSharp.so"],
        ["win-x64"] = ["torch_cpu.dll", "c10.dll", "torch.dll", "libiomp5md.dll", "LibTorchSharp.dll", "spectralgate.exe"],
        ["osx-arm64"] = ["libtorch_cpu.dylib", "libc10.dylib", "libtorch.dylib", "libomp.dylib", "libLibTorchSharp.dylib"],
    };

    [Test]
    public void ThePointerPackageListsOneToolPackagePerRuntimeAndHoldsNoImplementation()
    {
        using var pointer = ZipFile.OpenRead(LocalToolFeed.PackagePath("SpectralGate.Cli"));
        TestContext.Out.WriteLine($"packing every package of the local feed took {LocalToolFeed.PackTime.TotalSeconds:F0} s");
        var settings = XDocument.Load(pointer.GetEntry("tools/any/any/DotnetToolSettings.xml")!.Open());
        var listed = settings.Descendants("RuntimeIdentifierPackage")
            .ToDictionary(e => (string)e.Attribute("RuntimeIdentifier")!, e => (string)e.Attribute("Id")!);
        Assert.Multiple(() =>
        {
            Assert.That(listed, Is.EquivalentTo(LocalToolFeed.RuntimeIdentifiers.ToDictionary(rid => rid, rid => $"SpectralGate.Cli.{rid}")));
            Assert.That(settings.Descendants("Command").Select(c => (string)c.Attribute("Name")!), Is.EqualTo(new[] { "spectralgate" }));
            Assert.That(pointer.Entries.Select(e => e.FullName), Has.None.EndsWith(".dll").And.None.EndsWith(".so"));
            Assert.That(PackageTypes(pointer), Does.Contain("DotnetTool"));
        });
    }

    [TestCase("linux-x64")]
    [TestCase("win-x64")]
    [TestCase("osx-arm64")]
    public void EachRuntimePackageCarriesTheToolAndItsPlatformsLibtorchCpuNatives(string rid)
    {
        using var package = ZipFile.OpenRead(LocalToolFeed.PackagePath($"SpectralGate.Cli.{rid}"));
        string root = $"tools/net10.0/{rid}/";
        var files = package.Entries.Where(e => e.FullName.StartsWith(root, StringComparison.Ordinal))
            .Select(e => e.FullName[root.Length..]).ToHashSet();
        var foreign = NativesByRid.Where(p => p.Key != rid).SelectMany(p => p.Value).Where(n => !n.StartsWith("spectralgate", StringComparison.Ordinal));
        Assert.Multiple(() =>
        {
            Assert.That(files, Is.SupersetOf(new[] { "spectralgate.dll", "spectralgate.deps.json", "DotnetToolSettings.xml", "TorchSharp.dll" }));
            Assert.That(files, Is.SupersetOf(NativesByRid[rid]));
            Assert.That(files, Has.None.AnyOf(foreign.ToArray()), "another platform's natives");
            Assert.That(PackageTypes(package), Is.EqualTo(new[] { "DotnetToolRidPackage" }));
            // The real libtorch, not a stub: torch_cpu is hundreds of MB on every platform.
            string torchCpu = NativesByRid[rid][0];
            Assert.That(package.GetEntry(root + torchCpu)!.Length, Is.GreaterThan(100_000_000L), torchCpu);
        });
    }

    private static string[] PackageTypes(ZipArchive package)
    {
        var nuspec = XDocument.Load(package.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal)).Open());
        return nuspec.Descendants().Where(e => e.Name.LocalName == "packageType").Select(e => (string)e.Attribute("name")!).ToArray();
    }
}
