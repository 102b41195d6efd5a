namespace SpectralAssert.Snapshots;

/// <summary>
/// Assembly-wide snapshot defaults, set once before any test runs, the way Verify's <c>VerifierSettings</c> is: in a
/// <c>[ModuleInitializer]</c> of the test project (docs/getting-started.md). <see cref="SpectralSnapshot.Verify"/>
/// uses them when a call passes no <see cref="SnapshotSettings"/>; a call's own settings replace them whole.
/// </summary>
public static class SpectralSettings
{
    private static SnapshotSettings _defaults = new();

    public static SnapshotSettings Defaults
    {
        get => Volatile.Read(ref _defaults);
        set => Volatile.Write(ref _defaults, value ?? throw new ArgumentNullException(nameof(value)));
    }
}
