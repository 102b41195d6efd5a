using System.Reflection;
using SpectralAssert.Assertions;
using SpectralAssert.Snapshots;
using SpectralGate.Engine.Baselines;
using SpectralGate.Engine.Signatures;
using SpectralGate.Engine.Snapshots;
using SpectralGate.Tests.Support;

namespace SpectralAssert.Tests.Snapshots;

/// <summary>Verify's conventions: nested classes named with their outer classes, assembly-wide defaults, the used-snapshot ledger.</summary>
public class VerifyConventionsTests
{
    internal static SpectralSignature Signature => TestSignatures.Of(TestSignatures.Layer("fc.weight", [16, 16], ("stable_rank", 3.0)));

    /// <summary>A verified file at the name the convention gives, made from the signature the test will verify.</summary>
    internal static string Baseline(string fileName)
    {
        string folder = TestPaths.NewScratchFolder();
        BaselineFile.Write(Path.Combine(folder, fileName + SnapshotPaths.VerifiedSuffix), Signature, new TolerancePolicy());
        return folder;
    }

    [TestCase("SpectralAssert.Tests.A+Tests", "A.Tests")]
    [TestCase("SpectralAssert.Tests.B+Tests", "B.Tests")]
    [TestCase("Ns.Outer+Middle+Inner", "Outer.Middle.Inner")]
    [TestCase("Ns.Plain", "Plain")]
    [TestCase("Plain", "Plain")]
    [TestCase(null, "Test")]
    public void ASnapshotsClassNameKeepsItsOuterClasses(string? fullName, string expected) =>
        Assert.That(SnapshotClassName.FromTestClass(fullName), Is.EqualTo(expected));

    public class Outer
    {
        public class Tests
        {
            [Test]
            public void Method()
            {
                string folder = Baseline("VerifyConventionsTests.Outer.Tests.Method");

                SpectralSnapshot.Verify(Signature, new SnapshotSettings { Directory = folder });

                Assert.That(Directory.GetFiles(folder, "*" + SnapshotPaths.ReceivedSuffix), Is.Empty, "matched the VerifyConventionsTests.Outer.Tests.Method baseline");
            }
        }
    }

    [Test, NonParallelizable]
    public void VerifyWithoutSettingsUsesTheAssemblyDefaults()
    {
        string folder = Baseline("VerifyConventionsTests.VerifyWithoutSettingsUsesTheAssemblyDefaults");
        // What a [ModuleInitializer] of a test project does once (docs/getting-started.md); other tests have verified already.
        using (SpectralSettings.Override(new SnapshotSettings { Directory = folder }))
            SpectralSnapshot.Verify(Signature);

        Assert.That(Directory.GetFiles(folder), Has.Length.EqualTo(1), "the baseline in the defaults' folder matched; nothing was received");
    }

    [Test, NonParallelizable]
    public void ConstraintsWithoutUsingTakeTheDefaultsSignatureOptions()
    {
        var before = SpectralSettings.Defaults;
        var options = new SignatureOptions { Farms = false };
        using (SpectralSettings.Override(new SnapshotSettings { Signature = options }))
        {
            Assert.That(Spectrum.AllLayers.Options, Is.SameAs(options));
            Assert.That(Spectrum.Layers("fc*").Options, Is.SameAs(options));
            Assert.That(Spectrum.LayersOfKind(SpectralGate.Engine.Matrices.LayerKind.Linear).Options, Is.SameAs(options));
        }
        Assert.That(Spectrum.AllLayers.Options, Is.SameAs(before.Signature));
    }

    [Test, NonParallelizable]
    public void DefaultsSetAfterAVerificationThrowAndSayWhereToSetThem()
    {
        string folder = Baseline("VerifyConventionsTests.DefaultsSetAfterAVerificationThrowAndSayWhereToSetThem");
        using (SpectralSettings.Override(new SnapshotSettings { Directory = folder }))
            SpectralSnapshot.Verify(Signature);
        var before = SpectralSettings.Defaults;

        var e = Assert.Throws<InvalidOperationException>(() => SpectralSettings.Defaults = new SnapshotSettings());

        Assert.That(e!.Message, Does.Contain("[ModuleInitializer]").And.Contain("docs/getting-started.md"));
        Assert.That(SpectralSettings.Defaults, Is.SameAs(before));
    }

    [Test]
    public void AVerifiedSnapshotIsRecordedInTheRunsLedger()
    {
        string folder = Baseline("VerifyConventionsTests.AVerifiedSnapshotIsRecordedInTheRunsLedger");

        SpectralSnapshot.Verify(Signature, new SnapshotSettings { Directory = folder });

        string intermediate = typeof(VerifyConventionsTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "SpectralGate.IntermediateDirectory").Value!;
        string ledgers = Path.Combine(intermediate, UsedSnapshotLedger.FolderName);
        Assert.That(UsedSnapshotLedger.NewestRun(ledgers), Does.Contain(Path.GetFullPath(Path.Combine(folder, "VerifyConventionsTests.AVerifiedSnapshotIsRecordedInTheRunsLedger" + SnapshotPaths.VerifiedSuffix))));
    }
}
