using System.CommandLine;
using SpectralGate.Engine.Signatures;

namespace SpectralGate.Cli.Commands;

/// <summary>
/// The options that shape a computation, one per <see cref="ComputationOptions.All"/> entry with a CLI flag (and
/// <c>--shard</c> only for a command that can write a partial signature): made, added to a command and bound to
/// <see cref="SignatureOptions"/> from their descriptors, so every command spells and reads them alike and a new option
/// needs nothing here.
/// </summary>
internal sealed class SignatureOptionSet
{
    private readonly (ComputationOption Descriptor, Option Option)[] _options;

    public SignatureOptionSet(bool withShard = false) =>
        _options = [.. ComputationOptions.All.Where(d => d.CliFlag is not null && (withShard || d != ComputationOptions.Shard)).Select(d => (d, Create(d)))];

    /// <summary>The options, in the order the help lists them.</summary>
    public IReadOnlyList<Option> All => [.. _options.Select(o => o.Option)];

    public void AddTo(Command command)
    {
        foreach (Option option in All) command.Options.Add(option);
    }

    /// <summary>The names of the options the user gave (not defaulted).</summary>
    public IEnumerable<string> Given(ParseResult parse) => All.Where(o => parse.GetResult(o) is { Implicit: false }).Select(o => o.Name);

    public SignatureOptions Bind(ParseResult parse, Action<string, double[]>? spectrumObserver = null)
    {
        ComputeOptions options = new SignatureOptions { SpectrumObserver = spectrumObserver };
        foreach (var (descriptor, option) in _options) options = descriptor.Bind!(options, Text(parse, option));
        return (SignatureOptions)options;
    }

    /// <summary>The options given that a result records and that differ from their defaults, as they would be typed again (the accept hint).</summary>
    public IEnumerable<string> Recorded(ParseResult parse)
    {
        foreach (var (descriptor, option) in _options.Where(o => o.Descriptor.SettingsKey is not null))
        {
            var text = Text(parse, option);
            switch (descriptor.Arity)
            {
                case OptionArity.Switch when text[0] == "true":
                    yield return descriptor.CliFlag!;
                    break;
                case OptionArity.Value when text.Count > 0 && text[0] != descriptor.Default:
                case OptionArity.Values:
                    foreach (string value in descriptor.Arity == OptionArity.Value ? text.Take(1) : text) { yield return descriptor.CliFlag!; yield return value; }
                    break;
            }
        }
    }

    private static Option Create(ComputationOption d)
    {
        switch (d.Arity)
        {
            case OptionArity.Switch:
                return new Option<bool>(d.CliFlag!) { Description = d.Help };
            case OptionArity.Values:
                return new Option<string[]>(d.CliFlag!) { Description = d.Help };
            default:
                var option = new Option<string>(d.CliFlag!) { Description = d.Help };
                if (d.Default is { } fallback) option.DefaultValueFactory = _ => fallback;
                return d.Choices.Count > 0 ? option.AcceptOnlyFromAmong([.. d.Choices]) : option;
        }
    }

    /// <summary>An option's value as the descriptor binds it: <c>true</c>/<c>false</c>, one value (none when absent without a default), or the list.</summary>
    private static IReadOnlyList<string> Text(ParseResult parse, Option option) => option switch
    {
        Option<bool> flag => [parse.GetValue(flag) ? "true" : "false"],
        Option<string[]> list => parse.GetValue(list) ?? [],
        Option<string> value => parse.GetValue(value) is { } text ? [text] : [],
        _ => throw new InvalidOperationException($"{option.Name}: no binding for {option.GetType().Name}"),
    };
}
