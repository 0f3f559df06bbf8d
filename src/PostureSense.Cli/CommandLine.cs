using PostureSense.Core.Configuration;

namespace PostureSense.Cli;

/// <summary>
/// The options of one verb: <c>--name value</c> or <c>--name=value</c>, each at most once, only the
/// names the verb knows. Anything else is an <see cref="OptionsException"/> naming the problem.
/// </summary>
public sealed class CommandLine
{
    readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);
    readonly string _usage;

    public CommandLine(IReadOnlyList<string> args, IReadOnlyCollection<string> names, string usage)
    {
        _usage = usage;
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal)) throw new OptionsException($"unexpected argument '{arg}'; {usage}");
            var eq = arg.IndexOf('=');
            var name = eq < 0 ? arg[2..] : arg[2..eq];
            if (!names.Contains(name)) throw new OptionsException($"unknown option '--{name}'; {usage}");
            string value;
            if (eq >= 0) value = arg[(eq + 1)..];
            else if (i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal)) value = args[++i];
            else throw new OptionsException($"option '--{name}' needs a value; {usage}");
            if (!_values.TryAdd(name, value)) throw new OptionsException($"option '--{name}' is given twice");
        }
    }

    public string? Optional(string name) => _values.TryGetValue(name, out var value) && value.Trim().Length > 0 ? value.Trim() : null;

    public string Required(string name) => Optional(name) ?? throw new OptionsException($"--{name} is required; {_usage}");
}
