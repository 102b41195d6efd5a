using SpectralGate.Tests.Support;

namespace SpectralGate.Cli.Tests.Surface;

/// <summary>The comparison every surface test uses: by key, naming what was added, removed or changed, blind to order.</summary>
public class SurfaceContractTests
{
    private static IReadOnlyDictionary<string, string?> Entries(params string[] lines) => SurfaceContract.Entries(lines, "test");

    [Test]
    public void EachAddedRemovedAndChangedEntryIsNamedWithItsValues()
    {
        var committed = Entries("option x --a = string", "option x --b = bool", "command x");
        var current = Entries("command x", "option x --a = string[]", "option x --c = bool");

        string difference = SurfaceContract.Difference(committed, current);

        Assert.That(difference.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries), Is.EqualTo(new[]
        {
            "  removed: option x --b = bool",
            "  added:   option x --c = bool",
            "  changed: option x --a = string  ->  option x --a = string[]",
        }));
    }

    [Test]
    public void AnotherOrderIsNoDifference() =>
        Assert.That(SurfaceContract.Difference(Entries("a = 1", "b", "c = 3"), Entries("c = 3", "a = 1", "b")), Is.Empty);

    [Test]
    public void AnEntryGainingOrLosingItsValueIsAChange() =>
        Assert.That(SurfaceContract.Difference(Entries("property P"), Entries("property P = default 'x'")),
            Is.EqualTo("  changed: property P  ->  property P = default 'x'" + Environment.NewLine));

    [Test]
    public void AKeyGivenTwiceIsRefusedNamingIt() =>
        Assert.That(() => Entries("option x --a = string", "option x --a = bool"),
            Throws.InvalidOperationException.With.Message.EqualTo("test: the entry 'option x --a' appears twice."));
}
