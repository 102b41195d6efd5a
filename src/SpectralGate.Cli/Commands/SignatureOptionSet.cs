using System.CommandLine;
using SpectralGate.Engine.Signatures;

namespace SpectralGate.Cli.Commands;

/// <summary>
/// The options that shape a signature's computation (<c>--include</c>, <c>--exclude</c>, <c>--device</c>, <c>--dtype</c>,
/// <c>--sketch</c>, <c>--farms</c>, <c>--correlation-traps</c>, <c>--layer-kind</c>, <c>--mp-fit</c>, <c>--conv-norm</c> and, for a command that can write a partial signature, <c>--shard</c>): made, added to a command and
/// bound to <see cref="SignatureOptions"/> in one place, so every command spells and reads them alike.
/// </summary>
internal sealed class SignatureOptionSet
{
    public Option<string[]> Include { get; } = CommonOptions.Include();
    public Option<string[]> Exclude { get; } = CommonOptions.Exclude();
    public Option<string> Device { get; } = CommonOptions.Device();
    public Option<string> Precision { get; } = CommonOptions.Precision();
    public Option<bool> Sketch { get; } = CommonOptions.Sketch();
    public Option<bool> Farms { get; } = CommonOptions.Farms();
    public Option<bool> CorrelationTraps { get; } = CorrelationTrapsOption.Create();
    public Option<string[]> LayerKind { get; } = CommonOptions.LayerKind();
    public Option<string> MpFit { get; } = CommonOptions.MpFit();
    public Option<string> ConvNorm { get; } = CommonOptions.ConvNorm();

    /// <summary>Null for commands that always compute whole signatures.</summary>
    public Option<string?>? Shard { get; }

    public SignatureOptionSet(bool withShard = false) => Shard = withShard ? CommonOptions.Shard() : null;

    /// <summary>The options, in the order the help lists them.</summary>
    public IReadOnlyList<Option> All => Shard is null ? [.. Computed] : [.. Computed, Shard];

    private Option[] Computed => [Include, Exclude, Device, Precision, Sketch, Farms, CorrelationTraps, LayerKind, MpFit, ConvNorm];

    public void AddTo(Command command)
    {
        foreach (Option option in All) command.Options.Add(option);
    }

    /// <summary>The names of the options the user gave (not defaulted).</summary>
    public IEnumerable<string> Given(ParseResult parse) => All.Where(o => parse.GetResult(o) is { Implicit: false }).Select(o => o.Name);

    public SignatureOptions Bind(ParseResult parse, Action<string, double[]>? spectrumObserver = null) =>
        CommonOptions.ToSignatureOptions(parse.GetValue(Include), parse.GetValue(Exclude), parse.GetValue(Device)!, parse.GetValue(Precision)!, spectrumObserver,
            parse.GetValue(Sketch), Shard is null ? null : parse.GetValue(Shard), parse.GetValue(Farms), parse.GetValue(CorrelationTraps), parse.GetValue(LayerKind),
            parse.GetValue(MpFit)!, parse.GetValue(ConvNorm)!);
}
