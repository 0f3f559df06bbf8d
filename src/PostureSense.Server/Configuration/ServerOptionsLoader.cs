using Microsoft.Extensions.Configuration;
using PostureSense.Core.Configuration;
using PostureSense.Storage;

namespace PostureSense.Server.Configuration;

/// <summary>
/// Reads the options from, lowest to highest precedence: appsettings.json (section
/// <c>PostureSense</c>), environment variables (<c>POSTURESENSE_MQTT</c>, <c>_STORE</c>,
/// <c>_HTTP</c>) and the command line (<c>--mqtt</c>, <c>--store</c>, <c>--http</c>).
/// </summary>
public static class ServerOptionsLoader
{
    public const string Section = "PostureSense";
    public const string EnvironmentPrefix = "POSTURESENSE_";
    static readonly string[] Names = ["mqtt", "mqtt-share", "mqtt-client-id", "store", "http", "management", "app-db", "signup", "public-url"];

    public const string Usage =
        "usage: PostureSense.Server [--mqtt mqtt://[user:pass@]host:port [--mqtt-share GROUP --mqtt-client-id ID]] [--store sqlite:PATH | influxdb://[user:pass@]host:port/DATABASE | influxdb2://host:port/?org=ORG&bucket=BUCKET&token=TOKEN] [--http http://127.0.0.1:8080] [--management http://127.0.0.1:9464] [--app-db PATH] [--signup open|closed] [--public-url https://host/]";

    /// <summary>The merged configuration; throws <see cref="OptionsException"/> for an unknown or incomplete argument.</summary>
    public static IConfiguration Build(IReadOnlyList<string> args, string? appSettingsDirectory = null)
    {
        var builder = new ConfigurationBuilder();
        foreach (var dir in new[] { AppContext.BaseDirectory, appSettingsDirectory ?? Directory.GetCurrentDirectory() }.Distinct())
            builder.AddJsonFile(Path.Combine(dir, "appsettings.json"), optional: true, reloadOnChange: false);
        var environment = new Dictionary<string, string?>();
        foreach (var name in Names)
            if (Environment.GetEnvironmentVariable(EnvironmentName(name)) is { } value)
                environment[$"{Section}:{Key(name)}"] = value;
        builder.AddInMemoryCollection(environment);
        builder.AddInMemoryCollection(ParseArgs(args));
        try
        {
            return builder.Build();
        }
        catch (Exception ex) when (ex is InvalidDataException or FormatException or System.Text.Json.JsonException)
        {
            throw new OptionsException($"appsettings.json cannot be read: {ex.Message.Split('\n')[0].Trim()}");
        }
    }

    public static ServerOptions Load(IReadOnlyList<string> args, string? appSettingsDirectory = null) =>
        FromConfiguration(Build(args, appSettingsDirectory), args);

    /// <param name="args">Only to name, in an error, where a bad value came from.</param>
    public static ServerOptions FromConfiguration(IConfiguration configuration, IReadOnlyList<string>? args = null)
    {
        var section = configuration.GetSection(Section);
        var options = new ServerOptions();
        string Source(string name) =>
            args?.Any(a => a.Equals("--" + name, StringComparison.OrdinalIgnoreCase) || a.StartsWith($"--{name}=", StringComparison.OrdinalIgnoreCase)) == true
                ? "--" + name
                : Environment.GetEnvironmentVariable(EnvironmentName(name)) is not null
                    ? EnvironmentName(name)
                    : $"appsettings.json {Section}:{Key(name)}";
        if (NonEmpty(section[Key("mqtt")]) is { } mqtt) options = options with { Mqtt = MqttBrokerAddress.Parse(mqtt, Source("mqtt")) };
        if (NonEmpty(section[Key("mqtt-share")]) is { } group)
        {
            if (options.Mqtt is null)
                throw new OptionsException($"{Source("mqtt-share")} needs an external broker (--mqtt): the embedded one has no shared subscriptions");
            options = options with { MqttShareGroup = ParseShareGroup(group, Source("mqtt-share")) };
        }
        if (NonEmpty(section[Key("mqtt-client-id")]) is { } clientId)
            options = options with { ClientId = ParseClientId(clientId, Source("mqtt-client-id")) };
        if (NonEmpty(section[Key("store")]) is { } store) options = options with { Store = StoreLocation.Parse(store, Source("store")) };
        if (NonEmpty(section[Key("http")]) is { } http) options = options with { Http = HttpEndpoint.Parse(http, Source("http")) };
        if (NonEmpty(section[Key("management")]) is { } management)
            options = options with { Management = HttpEndpoint.Parse(management, Source("management")) };
        if (NonEmpty(section[Key("app-db")]) is { } appDb) options = options with { AppDatabase = appDb };
        if (NonEmpty(section[Key("signup")]) is { } signUp) options = options with { SignUpOpen = ParseSignUp(signUp, Source("signup")) };
        if (NonEmpty(section[Key("public-url")]) is { } publicUrl) options = options with { PublicUrl = ParsePublicUrl(publicUrl, Source("public-url")) };
        return options;
    }

    /// <summary>
    /// The server's MQTT client id: stable across restarts (its persistent session is keyed by it)
    /// and, in a share group, different for each server, or the broker would drop one for the other.
    /// </summary>
    static string ParseClientId(string value, string source) =>
        value.Length <= 64 && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')
            ? value
            : throw new OptionsException($"{source} '{value}' must be 1 to 64 letters, digits, '-', '_' or '.'");

    static bool ParseSignUp(string value, string source) => value.ToLowerInvariant() switch
    {
        "open" => true,
        "closed" => false,
        _ => throw new OptionsException($"{source} '{value}' must be open or closed"),
    };

    /// <summary>The base of the links a phone opens: http(s), no query or fragment.</summary>
    static Uri ParsePublicUrl(string value, string source) =>
        Uri.TryCreate(value.EndsWith('/') ? value : value + "/", UriKind.Absolute, out var uri)
        && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps) && uri.Query.Length == 0 && uri.Fragment.Length == 0 && uri.UserInfo.Length == 0
            ? uri
            : throw new OptionsException($"{source} '{value}' must be an http:// or https:// URL such as https://posture.example.org/");

    /// <summary>A share group name is one topic level: no wildcards, no separator.</summary>
    static string ParseShareGroup(string value, string source) =>
        value.Length <= 64 && value.IndexOfAny(['/', '+', '#']) < 0 && !value.Any(char.IsControl)
            ? value
            : throw new OptionsException($"{source} '{value}' must be one topic level of at most 64 characters, without '/', '+' or '#'");

    /// <summary>The setting's key in appsettings.json: <c>mqtt-share</c> is <c>MqttShare</c>.</summary>
    static string Key(string name) => string.Concat(name.Split('-').Select(part => char.ToUpperInvariant(part[0]) + part[1..]));

    /// <summary>The environment variable: <c>mqtt-share</c> is <c>POSTURESENSE_MQTT_SHARE</c>.</summary>
    static string EnvironmentName(string name) => EnvironmentPrefix + name.Replace('-', '_').ToUpperInvariant();

    public static bool WantsHelp(IReadOnlyList<string> args) => args.Any(a => a is "-h" or "--help" or "-?");

    static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    /// <summary>Accepts <c>--name value</c> and <c>--name=value</c>; anything else is an error, not silently ignored.</summary>
    static Dictionary<string, string?> ParseArgs(IReadOnlyList<string> args)
    {
        var values = new Dictionary<string, string?>();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg is "-h" or "--help" or "-?") continue;
            if (!arg.StartsWith("--", StringComparison.Ordinal))
                throw new OptionsException($"unexpected argument '{arg}'; {Usage}");
            var eq = arg.IndexOf('=');
            var name = (eq < 0 ? arg[2..] : arg[2..eq]).ToLowerInvariant();
            if (!Names.Contains(name))
                throw new OptionsException($"unknown option '--{name}'; {Usage}");
            string value;
            if (eq >= 0) value = arg[(eq + 1)..];
            else if (i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal)) value = args[++i];
            else throw new OptionsException($"option '--{name}' needs a value; {Usage}");
            values[$"{Section}:{Key(name)}"] = value;
        }
        return values;
    }
}
