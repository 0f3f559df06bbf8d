using System.CommandLine;
using System.CommandLine.Parsing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Primitives;
using PostureSense.Core.Configuration;

namespace PostureSense.Hosting.Options;

/// <summary>
/// A program's configuration in layers, lowest first: appsettings.json (all of it, the settings
/// under <c>PostureSense</c>), the <c>POSTURESENSE_*</c> variable of each option, the command line.
/// A higher layer replaces a lower one's value, a list whole. It remembers where each setting came
/// from, so that a bad value is named as the person wrote it: <c>--store</c>,
/// <c>POSTURESENSE_STORE</c> or <c>appsettings.json PostureSense:Store</c>.
/// </summary>
public sealed class LayeredConfiguration : IConfiguration
{
    readonly IConfiguration _merged;
    readonly Dictionary<string, string> _sources;
    readonly IReadOnlyList<string> _problems;
    readonly HashSet<string> _refused;

    LayeredConfiguration(IConfiguration merged, Dictionary<string, string> sources, IReadOnlyList<string> problems, HashSet<string> refused)
    {
        _merged = merged;
        _sources = sources;
        _problems = problems;
        _refused = refused;
    }

    /// <summary>The <c>PostureSense</c> section, to bind the program's options class from.</summary>
    public IConfigurationSection Settings => _merged.GetSection(SettingName.Section);

    /// <summary>
    /// The layers for a parsed command line; problems with the command line and values that do not
    /// convert to their option's type are kept (see <see cref="Problems"/>) and the values left out.
    /// </summary>
    /// <exception cref="OptionsException">appsettings.json is not valid JSON.</exception>
    public static LayeredConfiguration Load(ParseResult parsed, SettingsSources? sources = null)
    {
        sources ??= new SettingsSources();
        var problems = new List<string>(ProgramCommandLine.Problems(parsed));
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        var from = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var options = ProgramCommandLine.OptionsOf(parsed);
        var refused = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

        foreach (var (key, value) in ReadAppSettings(sources.AppSettingsDirectories))
            values[key] = value;
        foreach (var option in options)
        {
            var key = SettingName.Key(option);
            if (values.Keys.Any(k => IsUnder(k, key)))
                from[key] = SettingName.AppSettings(key);
        }

        foreach (var option in options)
        {
            var variable = SettingName.EnvironmentVariable(option);
            if (NonEmpty(sources.Environment(variable)) is { } value)
                Set(option, [value], variable);
        }

        foreach (var option in options)
        {
            if (parsed.GetResult(option) is not { Implicit: false } result) continue;
            if (result.Errors.Any() || ProgramCommandLine.TookAnOptionAsValue(result, options))
            {
                refused.Add(SettingName.Key(option));
                continue;
            }
            var tokens = result.Tokens.Select(t => t.Value).Select(NonEmpty).OfType<string>().ToList();
            // A flag given bare (--exit-when-done) is true.
            if (tokens.Count == 0 && option.Arity.MinimumNumberOfValues == 0) tokens.Add("true");
            if (tokens.Count > 0) Set(option, tokens, option.Name);
        }

        // Values a lower layer set that do not convert are problems too, named by their layer.
        foreach (var option in options)
        {
            var key = SettingName.Key(option);
            foreach (var entry in values.Where(v => IsUnder(v.Key, key) && v.Value is not null && !SettingValue.Converts(v.Value, ElementType(option))).ToList())
            {
                problems.Add($"{from[key]} '{entry.Value}' must be {SettingValue.Expected(ElementType(option))}");
                refused.Add(key);
                values.Remove(entry.Key);
            }
        }

        var merged = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        return new LayeredConfiguration(merged, from, problems, refused);

        void Set(Option option, IReadOnlyList<string> setting, string source)
        {
            var key = SettingName.Key(option);
            foreach (var lower in values.Keys.Where(k => IsUnder(k, key)).ToList()) values.Remove(lower);
            if (SettingValue.IsList(option))
                for (var i = 0; i < setting.Count; i++) values[$"{SettingName.Section}:{key}:{i}"] = setting[i];
            else
                values[$"{SettingName.Section}:{key}"] = setting[^1];
            from[key] = source;
        }
    }

    /// <summary>Problems found while layering: the command line's, and values of the wrong type.</summary>
    public IReadOnlyList<string> Problems => _problems;

    /// <summary>Whether a value given for <paramref name="key"/> was refused (a problem says why), so its absence is no second problem.</summary>
    public bool Refused(string key) => _refused.Contains(key);

    /// <summary>The value of a required option, or a problem naming it (unless its value was refused already); "" when absent.</summary>
    public string Required(string? value, string option, OptionProblems problems)
    {
        if (value is null && !Refused(SettingName.Key(option))) problems.Add($"{option} is required");
        return value ?? "";
    }

    /// <summary>A collector for the program's own checks, holding the layering's problems already.</summary>
    public OptionProblems StartChecks() => new(_problems);

    /// <summary>Where the setting <paramref name="key"/> (such as <c>Store</c>) came from, as the person wrote it.</summary>
    public string SourceOf(string key) => _sources.TryGetValue(key, out var source) ? source : SettingName.AppSettings(key);

    /// <summary>The trimmed value of a setting; null when no layer gives one.</summary>
    public string? this[Option option] => NonEmpty(Settings[SettingName.Key(option)]);

    public string? this[string key]
    {
        get => _merged[key];
        set => _merged[key] = value;
    }

    public IConfigurationSection GetSection(string key) => _merged.GetSection(key);

    public IEnumerable<IConfigurationSection> GetChildren() => _merged.GetChildren();

    public IChangeToken GetReloadToken() => _merged.GetReloadToken();

    static bool IsUnder(string configKey, string key) =>
        configKey.Equals($"{SettingName.Section}:{key}", StringComparison.OrdinalIgnoreCase)
        || configKey.StartsWith($"{SettingName.Section}:{key}:", StringComparison.OrdinalIgnoreCase);

    static Type ElementType(Option option) =>
        option.ValueType.IsArray ? option.ValueType.GetElementType()! : option.ValueType;

    static List<KeyValuePair<string, string?>> ReadAppSettings(IReadOnlyList<string> directories)
    {
        var builder = new ConfigurationBuilder();
        foreach (var directory in directories)
            builder.AddJsonFile(Path.Combine(Path.GetFullPath(directory), "appsettings.json"), optional: true, reloadOnChange: false);
        try
        {
            return builder.Build().AsEnumerable().Where(pair => NonEmpty(pair.Value) is not null)
                .Select(pair => KeyValuePair.Create(pair.Key, NonEmpty(pair.Value))).ToList();
        }
        catch (Exception ex) when (ex is InvalidDataException or FormatException or System.Text.Json.JsonException)
        {
            throw new OptionsException($"appsettings.json cannot be read: {ex.Message.Split('\n')[0].Trim()}");
        }
    }

    static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
