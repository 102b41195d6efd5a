namespace SpectralGate.Engine.Signatures;

/// <summary>How a front end spells an option's value: a switch, one value, or a repeatable (MSBuild: <c>;</c>-separated) list.</summary>
public enum OptionArity
{
    Switch,
    Value,
    Values,
}

/// <summary>Which results record an option: signatures, deltas or both.</summary>
public enum OptionScope
{
    Both,
    Signatures,
    Deltas,
}

/// <summary>
/// One computation option, declared once (in <see cref="ComputationOptions.All"/>): its name, the settings key a result
/// records it under, its CLI flag and MSBuild metadata, how front-end text binds into the options, and which front-end
/// value computes as a baseline recorded. Every list that repeats one of these is derived from it or checked against it.
/// </summary>
public sealed record ComputationOption
{
    /// <summary>The option's word in the docs: the settings key where it has one.</summary>
    public required string Name { get; init; }

    /// <summary>The key in a result's <c>settings</c>; null for an option that changes no number (the device).</summary>
    public string? SettingsKey { get; init; }

    /// <summary>The API member that sets it, from <see cref="SignatureOptions"/> or <c>DeltaOptions</c> (dotted for nested options).</summary>
    public required string ApiMember { get; init; }

    /// <summary>The <c>spectralgate</c> flag, or null for an option only the API sets.</summary>
    public string? CliFlag { get; init; }

    /// <summary>The <c>SpectralModel</c> item metadata of the MSBuild gate; null only with <see cref="NotInGate"/> or without a flag.</summary>
    public string? MsBuildMetadata { get; init; }

    /// <summary>Why a CLI option has no MSBuild metadata.</summary>
    public string? NotInGate { get; init; }

    public OptionArity Arity { get; init; }

    /// <summary>The front ends' text of the default value (a <see cref="OptionArity.Value"/> option), shown in help and docs.</summary>
    public string? Default { get; init; }

    /// <summary>The values a front end accepts; empty for free text.</summary>
    public IReadOnlyList<string> Choices { get; init; } = [];

    /// <summary>One line for the CLI help and the docs.</summary>
    public string Help { get; init; } = "";

    public OptionScope Scope { get; init; } = OptionScope.Both;

    /// <summary>Recorded by a delta (it shares the metrics' settings) but with no step of its own there: the CLI refuses its flag with <c>--delta</c>.</summary>
    public bool RefusedByDelta { get; init; }

    /// <summary>The recorded value, or null where the result carries no such key (a default added after format 1, or not recorded).</summary>
    public Func<ComputeOptions, string?> Record { get; init; } = _ => null;

    /// <summary>
    /// The options with this one set from front-end text: a switch gets <c>true</c>/<c>false</c>, a value its text, a list
    /// its items. Null for an option only the API sets.
    /// </summary>
    public Func<ComputeOptions, IReadOnlyList<string>, ComputeOptions>? Bind { get; init; }

    /// <summary>The front-end value that computes as a baseline recorded <c>baselineValue</c> (null: the baseline has no such key); null where none does.</summary>
    public Func<string?, string?> Restore { get; init; } = _ => null;

    /// <summary>True where a result of these options records this one.</summary>
    public bool AppliesTo(ComputeOptions options) => Scope == OptionScope.Both || Scope == options.Result;

    /// <summary>The option's name: what test runners and messages show for it.</summary>
    public override string ToString() => Name;

    /// <summary>How to compute as a baseline did, in both front ends' words: <c>pass --mp-fit median (MSBuild: MpFit="median")</c>.</summary>
    public string? RestoreHint(string? baselineValue)
    {
        if (CliFlag is null || Restore(baselineValue) is not { } value) return null;
        string msbuild = MsBuildMetadata is null ? "" : $" (MSBuild: {MsBuildMetadata}=\"{value}\")";
        return Arity == OptionArity.Switch
            ? $"{(value == "true" ? "pass" : "omit")} {CliFlag}{msbuild}"
            : $"pass {CliFlag} {value}{msbuild}";
    }
}
