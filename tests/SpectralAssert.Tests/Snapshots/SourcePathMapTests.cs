using SpectralGate.Engine.Runtime;
using SpectralGate.Engine.Snapshots;
using SpectralAssert.Snapshots;

namespace SpectralAssert.Tests.Snapshots;

public class SourcePathMapTests
{
    // The shape Roslyn's _SetPathMapFromSourceRoots writes: '<root>/=/_/', nested roots as '/_1/', ',' and '=' doubled.
    private const string Map = "/home/ci/work/repo/=/_/,/home/ci/work/repo/ext/lib==1,,x/=/_1/";

    [Test]
    public void PairsAreUnescaped()
    {
        Assert.That(SourcePathMap.Pairs(Map), Is.EqualTo(new[]
        {
            ("/home/ci/work/repo/", "/_/"),
            ("/home/ci/work/repo/ext/lib=1,x/", "/_1/"),
        }));
    }

    [Test]
    public void AMappedCallerPathBecomesTheRealOne()
    {
        Assert.That(SourcePathMap.Unmap(Map, "/_/tests/My.Tests/ModelTests.cs"), Is.EqualTo("/home/ci/work/repo/tests/My.Tests/ModelTests.cs"));
        Assert.That(SourcePathMap.Unmap(Map, "/_1/T.cs"), Is.EqualTo("/home/ci/work/repo/ext/lib=1,x/T.cs"));
        Assert.That(SourcePathMap.Unmap(Map, "/elsewhere/T.cs"), Is.Null);
    }
}
