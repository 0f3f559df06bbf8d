using System.CommandLine;
using System.CommandLine.Parsing;
using Microsoft.Extensions.Configuration;
using PostureSense.Core.Configuration;

namespace PostureSense.Agent.Settings;

/// <summary>One setting: its option, its environment variable, its key under <c>PostureSense</c> in appsettings.json.</summary>
public sealed record Setting(string Option, string Env, string Key, string Description, string ValueName);

/// <summary>
/// Where settings come from, in order: the command line (parsed by System.CommandLine, so
/// <c>--x v</c> and <c>--x=v</c> both work and --help is generated), then the environment, then
/// appsettings.json. All three become one configuration section, keys as in appsettings.json, plus
/// the source of each value for error messages. Only this class knows about the command line.
/// </summary>
public sealed class SettingSources
{
    public const string Section = "PostureSense";

    readonly IReadOnlyList<Setting> _settings;
    readonly RootCommand _command;
    readonly Dictionary<Setting, Option<string>> _options = [];

    public SettingSources(string description, IReadOnlyList<Setting> settings, string epilogue)
    {
        _settings = settings;
        _command = new RootCommand($"{description}\n\n{epilogue}");
        foreach (var setting in settings)
        {
            var option = new Option<string>(setting.Option) { Description = setting.Description, HelpName = setting.ValueName };
            _options[setting] = option;
            _command.Options.Add(option);
        }
    }

    /// <summary>The generated --help text.</summary>
    public string Help()
    {
        using var output = new StringWriter();
        _command.Parse(["--help"]).Invoke(new InvocationConfiguration { Output = output });
        return output.ToString();
    }

    /// <summary>Reads the three sources; null when --help was asked for.</summary>
    /// <exception cref="OptionsException">The command line does not parse: every problem, in one line.</exception>
    public Layered? Read(IReadOnlyList<string> args, Func<string, string?>? environment, IConfiguration? appSettings)
    {
        var parsed = _command.Parse([.. args]);
        if (parsed.Action is System.CommandLine.Help.HelpAction) return null;
        if (parsed.Errors.Count > 0) throw new OptionsException(string.Join("; ", Problems(parsed)));

        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        var sources = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var setting in _settings)
        {
            var (value, source) = parsed.GetValue(_options[setting]) is { } given ? (given, setting.Option)
                : environment?.Invoke(setting.Env) is { Length: > 0 } fromEnv ? (fromEnv, setting.Env)
                : appSettings?[$"{Section}:{setting.Key}"] is { Length: > 0 } fromFile ? (fromFile, $"appsettings {Section}:{setting.Key}")
                : (null, null);
            if (value is null) continue;
            values[$"{Section}:{setting.Key}"] = value;
            sources[setting.Key] = source!;
        }
        return new Layered(new ConfigurationBuilder().AddInMemoryCollection(values).Build().GetSection(Section), sources);
    }

    IEnumerable<string> Problems(ParseResult parsed)
    {
        // The value after an unknown option is unmatched too; the option is what to name.
        var unknown = parsed.UnmatchedTokens.Where(t => t.StartsWith('-')).ToList();
        foreach (var token in unknown)
            yield return $"unknown option '{token}'; see --help";
        if (unknown.Count == 0)
            foreach (var token in parsed.UnmatchedTokens)
                yield return $"unexpected argument '{token}': options are --name value; see --help";
        foreach (var (setting, option) in _options)
        {
            if (parsed.GetResult(option) is { Implicit: false, Tokens.Count: 0 })
                yield return $"{setting.Option} needs a value; see --help";
        }
        foreach (var error in parsed.Errors)
        {
            if (error.SymbolResult is OptionResult { Tokens.Count: 0 }) continue; // said above
            if (parsed.UnmatchedTokens.Any(t => error.Message.Contains($"'{t}'", StringComparison.Ordinal))) continue;
            yield return error.Message.TrimEnd('.') + "; see --help";
        }
    }

    /// <summary>The settings given, as a configuration section, and where each came from.</summary>
    public sealed record Layered(IConfigurationSection Values, IReadOnlyDictionary<string, string> Sources)
    {
        public string SourceOf(string key) => Sources.TryGetValue(key, out var source) ? source : key;
        public bool Has(string key) => Sources.ContainsKey(key);
    }
}
