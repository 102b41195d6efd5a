using System.CommandLine;
using System.CommandLine.Completions;
using System.Globalization;
using System.Reflection;
using SpectralGate.Cli.Commands;
using SpectralGate.Tests.Support;

namespace SpectralGate.Cli.Tests.Surface;

/// <summary>
/// The command line is a contract with every script and CI job that calls the tool: its commands, arguments, options
/// (names, aliases, value types, defaults, accepted values) and exit codes, read from the command definitions the tool
/// runs, must match the reviewed docs/surface/cli.txt.
/// </summary>
public class CliSurfaceTests
{
    private static readonly string[] Header =
    [
        "The spectralgate command line: commands, positional arguments, options and exit codes.",
        "Held by tests/SpectralGate.Cli.Tests/Surface/CliSurfaceTests against the command definitions the tool runs.",
        "A change here can break scripts and CI jobs: review it, list it in CHANGELOG.md, then accept (docs/compatibility.md).",
    ];

    [Test]
    public void TheCommandLineMatchesTheReviewedSurface() =>
        SurfaceContract.AssertUnchanged(TestPaths.RepositoryRoot, "cli.txt", Header, Surface(SpectralGateCommand.Create()));

    public static IEnumerable<string> Surface(RootCommand root)
    {
        foreach (var code in typeof(ExitCodes).GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.IsLiteral).OrderBy(f => (int)f.GetRawConstantValue()!))
            yield return $"exit-code {(int)code.GetRawConstantValue()!} = {code.Name}";
        foreach (string entry in CommandEntries(root, "spectralgate")) yield return entry;
    }

    private static IEnumerable<string> CommandEntries(Command command, string path)
    {
        yield return $"command {path}" + (command.Aliases.Count > 0 ? $" = aliases {string.Join(" ", command.Aliases.Order(StringComparer.Ordinal))}" : "");
        // Positional: the position is the contract, the name only the help's.
        int position = 0;
        foreach (var argument in command.Arguments)
            yield return $"argument {path} {++position} = <{argument.Name}> {TypeName(argument.ValueType)}, arity {Arity(argument.Arity)}" + Default(argument.HasDefaultValue, argument.GetDefaultValue);
        foreach (var option in command.Options.OrderBy(o => o.Name, StringComparer.Ordinal))
            yield return $"option {path} {option.Name} = {Describe(option)}";
        foreach (var sub in command.Subcommands.OrderBy(c => c.Name, StringComparer.Ordinal))
            foreach (string entry in CommandEntries(sub, $"{path} {sub.Name}"))
                yield return entry;
    }

    private static string Describe(Option option)
    {
        var parts = new List<string> { TypeName(option.ValueType) };
        if (option.Aliases.Count > 0) parts.Add("aliases " + string.Join(" ", option.Aliases.Order(StringComparer.Ordinal)));
        if (option.Required) parts.Add("required");
        if (option.Recursive) parts.Add("recursive");
        if (option.Hidden) parts.Add("hidden");
        if (option.AllowMultipleArgumentsPerToken) parts.Add("several values per token");
        if (option.ValueType != typeof(bool))
        {
            var choices = option.GetCompletions(CompletionContext.Empty).Select(c => c.Label).ToList();
            if (choices.Count > 0) parts.Add("one of " + string.Join("|", choices));
        }
        return string.Join(", ", parts) + Default(option.HasDefaultValue, option.GetDefaultValue);
    }

    private static string Default(bool has, Func<object?> value) => has ? $", default {Text(value())}" : "";

    private static string Text(object? value) => value switch
    {
        null => "null",
        string s => $"'{s}'",
        bool b => b ? "true" : "false",
        System.Collections.IEnumerable list => "[" + string.Join(", ", list.Cast<object?>().Select(Text)) + "]",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    private static string Arity(ArgumentArity arity) =>
        $"{arity.MinimumNumberOfValues}..{(arity.MaximumNumberOfValues >= 100_000 ? "*" : arity.MaximumNumberOfValues.ToString(CultureInfo.InvariantCulture))}";

    private static string TypeName(Type type) => type switch
    {
        _ when type == typeof(void) => "no value",
        _ when type == typeof(bool) => "bool",
        _ when type == typeof(string) => "string",
        _ when type == typeof(int) => "int",
        _ when type == typeof(double) => "double",
        { IsArray: true } => TypeName(type.GetElementType()!) + "[]",
        _ when Nullable.GetUnderlyingType(type) is { } inner => TypeName(inner) + "?",
        _ => type.Name,
    };
}
