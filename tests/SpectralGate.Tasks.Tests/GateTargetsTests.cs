using System.Reflection;
using System.Xml.Linq;

namespace SpectralGate.Tasks.Tests;

/// <summary>What the package's targets ask of MSBuild, read from the files the package ships.</summary>
public class GateTargetsTests
{
    private static string RepositoryRoot =>
        typeof(GateTargetsTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "RepositoryRoot").Value!;

    private static XDocument Targets(string folder) =>
        XDocument.Load(Path.Combine(RepositoryRoot, "src", "SpectralGate.Tasks", folder, "SpectralGate.Tasks.targets"));

    [Test]
    public void EveryRunOfTheCliYieldsTheNode()
    {
        var runs = Targets("build").Descendants("SpectralGateCheck").ToList();

        Assert.That(runs, Has.Count.EqualTo(1), "one target body for the check and the accept");
        Assert.That(runs.Select(r => (string?)r.Attribute("YieldDuringToolExecution")), Is.All.EqualTo("true"));
        Assert.That(runs.Single().Attribute("Accept")!.Value, Is.EqualTo("$(SpectralGateAccept)"));
    }

    [Test]
    public void TheOuterBuildOfAMultiTargetedProjectImportsTheGateAsItsOwn()
    {
        var outer = Targets("buildMultiTargeting");

        Assert.That(outer.Descendants("_SpectralGateOuterBuild").Single().Value, Is.EqualTo("true"));
        Assert.That(outer.Descendants("Import").Single().Attribute("Project")!.Value, Does.EndWith("../build/SpectralGate.Tasks.targets"));
    }
}
