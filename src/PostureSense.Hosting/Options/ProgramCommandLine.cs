using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Parsing;
using PostureSense.Core.Configuration;

namespace PostureSense.Hosting.Options;

/// <summary>
/// The one command-line style of every PostureSense program: <c>--name value</c> or
/// <c>--name=value</c>, generated <c>--help</c>, and bad options refused in one line on stderr
/// with exit code 2.
/// </summary>
public static class ProgramCommandLine
{
    /// <summary>The exit code for options a program cannot run with.</summary>
    public const int BadOptions = 2;

    // Values such as "@home" stay values: no response files.
    static readonly ParserConfiguration Parser = new() { ResponseFileTokenReplacer = null };

    /// <summary>
    /// A program's command: its options, each described with the environment variable that also
    /// sets it; <c>--help</c>, and no <c>--version</c> (the programs never had one).
    /// </summary>
    public static RootCommand Root(string description, params Option[] options)
    {
        var root = new RootCommand(description);
        foreach (var version in root.Options.OfType<VersionOption>().ToList()) root.Options.Remove(version);
        AddOptions(root, options);
        return root;
    }

    /// <summary>A verb of a program with verbs, such as <c>posturesense report</c>.</summary>
    public static Command Verb(string name, string description, params Option[] options)
    {
        var verb = new Command(name, description);
        AddOptions(verb, options);
        return verb;
    }

    static void AddOptions(Command command, IEnumerable<Option> options)
    {
        foreach (var option in options)
        {
            var variable = SettingName.EnvironmentVariable(option);
            if (option.Description?.Contains(variable, StringComparison.Ordinal) != true)
                option.Description = $"{option.Description} [{variable}]".Trim();
            command.Options.Add(option);
        }
    }

    public static ParseResult Parse(Command command, IReadOnlyList<string> args) => command.Parse(args, Parser);

    /// <summary>Whether the command line asks for help (<c>-h</c>, <c>--help</c>, <c>-?</c>).</summary>
    public static bool WantsHelp(ParseResult parsed) => parsed.Action is HelpAction;

    /// <summary>The generated help of the command the arguments name (the program's, or a verb's).</summary>
    public static string Help(Command command, params string[] verbs)
    {
        var output = new StringWriter();
        Parse(command, [.. verbs, "--help"]).Invoke(new InvocationConfiguration { Output = output, Error = output });
        return output.ToString().TrimEnd();
    }

    /// <summary>Writes the generated help for <paramref name="parsed"/>'s command to <paramref name="output"/>.</summary>
    public static void WriteHelp(ParseResult parsed, TextWriter output) =>
        parsed.Invoke(new InvocationConfiguration { Output = output, Error = output });

    /// <summary>Writes <c>program: problem</c> on one line and gives the exit code for bad options.</summary>
    public static int Refuse(string program, OptionsException problem, TextWriter? error = null)
    {
        (error ?? Console.Error).WriteLine($"{program}: {problem.Message}");
        return BadOptions;
    }

    /// <summary>Everything wrong with the command line itself, each in the project's own words.</summary>
    public static IReadOnlyList<string> Problems(ParseResult parsed)
    {
        // A mistyped verb makes the rest meaningless: name only that.
        var command = parsed.CommandResult.Command;
        if (command.Subcommands.Count > 0 && parsed.UnmatchedTokens is [var first, ..] && !first.StartsWith('-'))
            return [$"unknown {VerbPath(parsed.CommandResult)}command '{first}'"];
        var problems = new List<string>();
        if (command.Subcommands.Count > 0 && parsed.Errors.Any(e => e.SymbolResult == parsed.CommandResult))
            problems.Add($"{VerbPath(parsed.CommandResult)}needs a command: {string.Join(", ", command.Subcommands.Select(c => c.Name))}");
        var seen = new HashSet<Option>();
        var options = OptionsOf(parsed);
        foreach (var option in options)
            if (parsed.GetResult(option) is { } result && TookAnOptionAsValue(result, options) && seen.Add(option))
                problems.Add($"option '{option.Name}' needs a value");
        string? previous = null;
        foreach (var token in parsed.UnmatchedTokens)
        {
            if (token.StartsWith('-')) problems.Add($"unknown option '{OptionPart(token)}'");
            // "--colour red": the value of an unknown option is no problem of its own.
            else if (previous is null || !previous.StartsWith('-') || previous.IndexOfAny(['=', ':']) > 0) problems.Add($"unexpected argument '{token}'");
            previous = token;
        }
        foreach (var error in parsed.Errors)
        {
            if (OptionOf(error.SymbolResult) is { } result)
            {
                if (seen.Add(result.Option)) problems.Add(Describe(result, error));
            }
            else if (error.SymbolResult != parsed.CommandResult && !parsed.UnmatchedTokens.Any(token => error.Message.Contains($"'{token}'", StringComparison.Ordinal)))
            {
                problems.Add(error.Message.TrimEnd('.'));
            }
        }
        return problems;
    }

    /// <summary>Throws one <see cref="OptionsException"/> listing every problem of the command line.</summary>
    public static void ThrowIfInvalid(ParseResult parsed) => new OptionProblems(Problems(parsed)).ThrowIfAny();

    /// <summary>The options of the command the arguments chose and of the commands above it, help left out.</summary>
    internal static List<Option> OptionsOf(ParseResult parsed)
    {
        var options = new List<Option>();
        for (SymbolResult? result = parsed.CommandResult; result is not null; result = result.Parent)
            if (result is CommandResult command)
                options.AddRange(command.Command.Options.Where(o => o is not HelpOption && !options.Contains(o)));
        return options;
    }

    /// <summary>
    /// <c>--scenario --parallel 2</c>: the parser hands "--parallel" to --scenario as its value, but
    /// the person forgot the scenario; a value is never another option's name.
    /// </summary>
    internal static bool TookAnOptionAsValue(OptionResult result, IReadOnlyList<Option> options) =>
        result.Tokens.Any(token => options.Any(option =>
            token.Value == option.Name || token.Value.StartsWith(option.Name + "=", StringComparison.Ordinal)
            || option.Aliases.Contains(token.Value)));

    /// <summary>"users " for <c>posturesense users</c>; empty for the program itself.</summary>
    static string VerbPath(CommandResult result)
    {
        var names = new List<string>();
        for (SymbolResult? r = result; r is CommandResult { Command: not RootCommand } verb; r = r.Parent)
            names.Insert(0, verb.Command.Name);
        return string.Concat(names.Select(name => name + " "));
    }

    static string OptionPart(string token) => token.IndexOfAny(['=', ':']) is > 0 and var at ? token[..at] : token;

    static OptionResult? OptionOf(SymbolResult? result)
    {
        for (; result is not null; result = result.Parent)
            if (result is OptionResult option) return option;
        return null;
    }

    static string Describe(OptionResult result, ParseError error)
    {
        var name = result.Option.Name;
        var tokens = result.Tokens;
        if (tokens.Count == 0) return $"option '{name}' needs a value";
        if (tokens.Count > 1 && result.Option.Arity.MaximumNumberOfValues == 1) return $"option '{name}' is given twice";
        var value = tokens[^1].Value;
        return SettingValue.Expected(result.Option.ValueType) is { } expected
            ? $"{name} '{value}' must be {expected}"
            : $"{name} '{value}': {error.Message.TrimEnd('.')}";
    }
}
