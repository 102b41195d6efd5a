using System.CommandLine;
using SpectralGate.Cli.Commands;
using SpectralGate.Engine.Signatures;

namespace SpectralGate.Cli.Tests;

/// <summary>
/// Every computation option with a flag can be expressed on the command line: given a value other than its default,
/// the bound options record another setting (the device, which records nothing, another device). The values are the
/// test's own, so a new option without one here fails until someone says what to type for it.
/// </summary>
public class ComputationOptionsCliTests
{
    private static readonly Dictionary<string, string[]> NonDefault = new()
    {
        ["--include"] = ["fc*"], ["--exclude"] = ["fc3*"], ["--device"] = ["cuda:1"], ["--dtype"] = ["float32"], ["--sketch"] = [],
        ["--farms"] = [], ["--correlation-traps"] = [], ["--layer-kind"] = ["conv*=conv"], ["--mp-fit"] = ["weightwatcher"],
        ["--conv-norm"] = ["weightwatcher"], ["--min-dimension"] = ["4"], ["--shard"] = ["2/4"],
    };

    public static IEnumerable<ComputationOption> Flagged() => ComputationOptions.All.Where(o => o.CliFlag is not null);

    [TestCaseSource(nameof(Flagged))]
    public void EachFlagChangesWhatIsComputed(ComputationOption option)
    {
        Assert.That(NonDefault, Contains.Key(option.CliFlag!), "a value to type for the new option");
        var set = new SignatureOptionSet(withShard: true);
        var command = new RootCommand();
        set.AddTo(command);

        SignatureOptions defaults = set.Bind(command.Parse([]));
        SignatureOptions given = set.Bind(command.Parse([option.CliFlag!, .. NonDefault[option.CliFlag!]]));

        if (option.SettingsKey is { } key)
            Assert.That(SpectralEngine.Settings(given).GetValueOrDefault(key), Is.Not.EqualTo(SpectralEngine.Settings(defaults).GetValueOrDefault(key)));
        else
        {
            var member = typeof(SignatureOptions).GetProperty(option.ApiMember)!;
            Assert.That(member.GetValue(given), Is.Not.EqualTo(member.GetValue(defaults)));
        }
        Assert.That(set.Given(command.Parse([option.CliFlag!, .. NonDefault[option.CliFlag!]])), Is.EqualTo(new[] { option.CliFlag }));
    }

    [Test]
    public void TheAcceptHintRepeatsTheRecordedOptionsGivenAndNoDefault()
    {
        var set = new SignatureOptionSet();
        var command = new RootCommand();
        set.AddTo(command);

        var parse = command.Parse(["--dtype", "float64", "--device", "cuda", "--farms", "--layer-kind", "a=linear", "--layer-kind", "b=conv", "--mp-fit", "trimmed-mean"]);

        Assert.That(set.Recorded(parse), Is.EqualTo(new[] { "--farms", "--layer-kind", "a=linear", "--layer-kind", "b=conv", "--mp-fit", "trimmed-mean" }));
    }
}
