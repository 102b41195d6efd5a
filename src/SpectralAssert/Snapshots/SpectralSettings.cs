namespace SpectralAssert.Snapshots;

/// <summary>
/// Assembly-wide snapshot defaults, set once before any test runs, the way Verify's <c>VerifierSettings</c> is: in a
/// <c>[ModuleInitializer]</c> of the test project (docs/getting-started.md). <see cref="SpectralSnapshot.Verify"/>
/// uses them when a call passes no <see cref="SnapshotSettings"/>; a call's own settings replace them whole. Frozen by
/// the first verification, as Verify's are: a later change would make the tests' results depend on their order.
/// </summary>
public static class SpectralSettings
{
    private static SnapshotSettings _defaults = new();
    private static volatile bool _frozen;

    /// <exception cref="InvalidOperationException">Set after a snapshot was verified.</exception>
    public static SnapshotSettings Defaults
    {
        get => Volatile.Read(ref _defaults);
        set
        {
            ArgumentNullException.ThrowIfNull(value);
            if (_frozen)
                throw new InvalidOperationException(
                    "SpectralSettings.Defaults was set after a snapshot was verified, so tests that ran before saw other defaults. "
                    + "Set it once, before any test runs: in a [ModuleInitializer] of the test project (docs/getting-started.md), "
                    + "or pass SnapshotSettings to this one SpectralSnapshot.Verify call.");
            Volatile.Write(ref _defaults, value);
        }
    }

    /// <summary>The defaults, frozen from now on: what a verification reads.</summary>
    internal static SnapshotSettings Freeze()
    {
        _frozen = true;
        return Defaults;
    }

    /// <summary>For this library's own tests: other defaults until disposed, frozen or not.</summary>
    internal static IDisposable Override(SnapshotSettings settings)
    {
        var before = Volatile.Read(ref _defaults);
        Volatile.Write(ref _defaults, settings);
        return new Restore(before);
    }

    private sealed class Restore(SnapshotSettings before) : IDisposable
    {
        public void Dispose() => Volatile.Write(ref _defaults, before);
    }
}
