using System.CommandLine;
using Microsoft.Extensions.Configuration;
using PostureSense.Core.Configuration;
using PostureSense.Hosting.Options;

namespace PostureSense.LoadHarness;

/// <summary>The command line; every problem is one <see cref="OptionsException"/> line.</summary>
sealed record HarnessOptions
{
    public required MqttBrokerAddress Mqtt { get; init; }
    public Uri? Influx { get; init; }
    public string? Database { get; init; }
    public string? SqlitePath { get; init; }
    public required string ServerDll { get; init; }
    public int Devices { get; init; } = 1000;
    public int Batches { get; init; } = 20;
    public int Frames { get; init; } = 5;
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(10);
    public required string OutPath { get; init; }

    public long TotalFrames => (long)Devices * Batches * Frames;

    /// <summary>The server's --store value.</summary>
    public string Store => Influx is { } influx ? $"influxdb://{influx.Host}:{influx.Port}/{Database}" : $"sqlite:{SqlitePath}";

    static RootCommand Command() => ProgramCommandLine.Root(
        "End-to-end ingest measurement: how fast the store takes the fleet's frames directly (the ceiling), then how " +
        "fast they get there through broker and server. The InfluxDB database must exist and be empty; the ceiling " +
        "run writes to NAME_ceiling and NAME_ceiling_gz. Exit 2 on bad options, 1 on a failed run.",
        new Option<string>("--mqtt") { HelpName = "mqtt://HOST:PORT", Description = "the broker the fleet and the server use (required)" },
        new Option<string>("--influx") { HelpName = "http://HOST:PORT", Description = "InfluxDB 1.x, with --db; or --sqlite" },
        new Option<string>("--db") { HelpName = "NAME", Description = "with --influx: the empty database to fill" },
        new Option<string>("--sqlite") { HelpName = "PATH", Description = "a SQLite store instead of InfluxDB" },
        new Option<string>("--server-dll") { HelpName = "PATH", Description = "the server to start, built in Release (required)" },
        new Option<int>("--devices") { HelpName = "N", Description = "simulated devices, 1-9999 (default 1000)" },
        new Option<int>("--batches") { HelpName = "N", Description = "telemetry messages per device (default 20)" },
        new Option<int>("--frames") { HelpName = "N", Description = "frames per message, 1-60 (default 5)" },
        new Option<int>("--timeout") { HelpName = "SECONDS", Description = "give up on the server run after this long (default 600)" },
        new Option<string>("--out") { HelpName = "FILE.json", Description = "where the results go (default a file in the temp folder)" });

    public static string Usage => ProgramCommandLine.Help(Command());

    public static bool WantsHelp(string[] args) => ProgramCommandLine.WantsHelp(ProgramCommandLine.Parse(Command(), args));

    /// <summary>The options, every problem in one <see cref="OptionsException"/>.</summary>
    public static HarnessOptions Parse(string[] args)
    {
        var layers = LayeredConfiguration.Load(ProgramCommandLine.Parse(Command(), args));
        var settings = layers.Settings.Get<HarnessSettings>() ?? new HarnessSettings();
        var problems = layers.StartChecks();
        string Source(string key) => layers.SourceOf(key);

        var mqttText = layers.Required(settings.Mqtt, "--mqtt", problems);
        var mqtt = settings.Mqtt is null ? null : problems.Check(() => MqttBrokerAddress.Parse(mqttText, Source("Mqtt")), null);
        if ((settings.Influx is null) == (settings.Sqlite is null)) problems.Add("give exactly one of --influx URL (with --db) and --sqlite PATH");
        Uri? influxUri = null;
        if (settings.Influx is { } influx)
        {
            if (!Uri.TryCreate(influx, UriKind.Absolute, out influxUri) || influxUri.Scheme != Uri.UriSchemeHttp || influxUri.Port <= 0)
                problems.Add($"{Source("Influx")} '{influx}' is not an http://HOST:PORT URL");
            var db = layers.Required(settings.Db, "--db", problems);
            if (settings.Db is not null && db.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '_' or '-')))
                problems.Add($"{Source("Db")} '{db}' must be letters, digits, '_' or '-'");
        }
        else if (settings.Db is not null) problems.Add("--db goes with --influx, not --sqlite");

        var serverDll = layers.Required(settings.ServerDll, "--server-dll", problems);
        if (settings.ServerDll is not null && !File.Exists(serverDll))
            problems.Add($"{Source("ServerDll")} '{serverDll}' does not exist; build the server in Release first");

        var devices = Int(settings.Devices, "Devices", 1000, 1, 9999); // the fleet's ids have four digits
        var batches = Int(settings.Batches, "Batches", 20, 1, 1_000_000);
        var frames = Int(settings.Frames, "Frames", 5, 1, 60); // the contract's 1 to 60 frames per batch
        var timeout = Int(settings.Timeout, "Timeout", 600, 1, 86_400);
        problems.ThrowIfAny();
        return new HarnessOptions
        {
            Mqtt = mqtt!,
            Influx = influxUri,
            Database = settings.Db,
            SqlitePath = settings.Sqlite is null ? null : Path.GetFullPath(settings.Sqlite),
            ServerDll = Path.GetFullPath(serverDll),
            Devices = devices,
            Batches = batches,
            Frames = frames,
            Timeout = TimeSpan.FromSeconds(timeout),
            OutPath = Path.GetFullPath(settings.Out ?? Path.Combine(Path.GetTempPath(), $"posturesense-ingest-{devices}.json")),
        };

        int Int(int? value, string key, int fallback, int min, int max)
        {
            if (value is not { } n) return fallback;
            if (n >= min && n <= max) return n;
            problems.Add($"{Source(key)} '{n}' must be a whole number from {min} to {max}");
            return fallback;
        }
    }
}

/// <summary>The harness's settings as written; each property is an option (<c>ServerDll</c> is <c>--server-dll</c>).</summary>
internal sealed class HarnessSettings
{
    public string? Mqtt { get; set; }
    public string? Influx { get; set; }
    public string? Db { get; set; }
    public string? Sqlite { get; set; }
    public string? ServerDll { get; set; }
    public int? Devices { get; set; }
    public int? Batches { get; set; }
    public int? Frames { get; set; }
    public int? Timeout { get; set; }
    public string? Out { get; set; }
}
