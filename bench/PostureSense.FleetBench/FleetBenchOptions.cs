using System.CommandLine;
using Microsoft.Extensions.Configuration;
using PostureSense.Core.Configuration;
using PostureSense.Hosting.Options;

namespace PostureSense.FleetBench;

/// <summary>The command line; every problem is one <see cref="OptionsException"/> line.</summary>
sealed record FleetBenchOptions
{
    public required MqttBrokerAddress Mqtt { get; init; }
    public required Uri Influx { get; init; }
    public required string Database { get; init; }
    public required string ServerDll { get; init; }
    public int Nodes { get; init; } = 1;
    /// <summary>The nodes' <c>--cluster</c>; null: a share group only, each node coaching what it receives.</summary>
    public string? Cluster { get; init; }
    public int Devices { get; init; } = 10_000;
    public TimeSpan Duration { get; init; } = TimeSpan.FromMinutes(10);
    public int Seed { get; init; } = 1;
    public required string OutPath { get; init; }
    public required string WorkDirectory { get; init; }

    static RootCommand Command() => ProgramCommandLine.Root(
        "A fleet at the live rate (one 5-frame batch every 5 s per device) through 1 to 3 server nodes in one MQTT share " +
        "group: each device's earlier minutes are in the store before the run, and one episode (a hunch or long sitting) " +
        "comes due for each device at a different moment of the run. Reports frames lost, prompts missing and duplicated, " +
        "prompt latency, and CPU and memory per node. Exit 2 on bad options, 1 on a failed run.",
        new Option<string>("--mqtt") { HelpName = "mqtt://HOST:PORT", Description = "the broker the fleet and the servers use (required)" },
        new Option<string>("--influx") { HelpName = "http://HOST:PORT", Description = "InfluxDB 1.x (required)" },
        new Option<string>("--db") { HelpName = "NAME", Description = "the empty database to fill (required)" },
        new Option<string>("--server-dll") { HelpName = "PATH", Description = "the server to start, built in Release (required)" },
        new Option<int>("--nodes") { HelpName = "N", Description = "server processes sharing the fleet, 1-3 (default 1)" },
        new Option<string>("--cluster") { HelpName = "redis://HOST:PORT", Description = "the nodes form one cluster through this Redis (default: none)" },
        new Option<int>("--devices") { HelpName = "N", Description = "simulated devices, 2-10000 (default 10000)" },
        new Option<int>("--minutes") { HelpName = "N", Description = "length of the live run, 3-120 (default 10)" },
        new Option<int>("--seed") { HelpName = "N", Description = "where in the run each device's episode comes due (default 1)" },
        new Option<string>("--work") { HelpName = "DIR", Description = "where the nodes keep their app databases (default a temp folder)" },
        new Option<string>("--out") { HelpName = "FILE.json", Description = "where the results go (default a file in the temp folder)" });

    public static string Usage => ProgramCommandLine.Help(Command());

    public static bool WantsHelp(string[] args) => ProgramCommandLine.WantsHelp(ProgramCommandLine.Parse(Command(), args));

    public static FleetBenchOptions Parse(string[] args)
    {
        var layers = LayeredConfiguration.Load(ProgramCommandLine.Parse(Command(), args));
        var settings = layers.Settings.Get<FleetBenchSettings>() ?? new FleetBenchSettings();
        var problems = layers.StartChecks();
        string Source(string key) => layers.SourceOf(key);

        var mqttText = layers.Required(settings.Mqtt, "--mqtt", problems);
        var mqtt = settings.Mqtt is null ? null : problems.Check(() => MqttBrokerAddress.Parse(mqttText, Source("Mqtt")), null);
        var influxText = layers.Required(settings.Influx, "--influx", problems);
        Uri? influx = null;
        if (settings.Influx is not null
            && (!Uri.TryCreate(influxText, UriKind.Absolute, out influx) || influx.Scheme != Uri.UriSchemeHttp || influx.Port <= 0))
            problems.Add($"{Source("Influx")} '{influxText}' is not an http://HOST:PORT URL");
        var db = layers.Required(settings.Db, "--db", problems);
        if (settings.Db is not null && db.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '_' or '-')))
            problems.Add($"{Source("Db")} '{db}' must be letters, digits, '_' or '-'");
        var serverDll = layers.Required(settings.ServerDll, "--server-dll", problems);
        if (settings.ServerDll is not null && !File.Exists(serverDll))
            problems.Add($"{Source("ServerDll")} '{serverDll}' does not exist; build the server in Release first");

        var nodes = Int(settings.Nodes, "Nodes", 1, 1, 3);
        if (settings.Cluster is { } cluster && !cluster.StartsWith("redis://", StringComparison.Ordinal))
            problems.Add($"{Source("Cluster")} must be a redis://HOST:PORT URL");
        var devices = Int(settings.Devices, "Devices", 10_000, 2, 10_000); // ids have four digits: 0000-9999
        var minutes = Int(settings.Minutes, "Minutes", 10, 3, 120);
        var seed = Int(settings.Seed, "Seed", 1, 0, int.MaxValue);
        problems.ThrowIfAny();
        var work = settings.Work ?? Directory.CreateTempSubdirectory("posturesense-fleet-").FullName;
        return new FleetBenchOptions
        {
            Mqtt = mqtt!,
            Influx = influx!,
            Database = db,
            ServerDll = Path.GetFullPath(serverDll),
            Nodes = nodes,
            Cluster = settings.Cluster,
            Devices = devices,
            Duration = TimeSpan.FromMinutes(minutes),
            Seed = seed,
            WorkDirectory = Path.GetFullPath(work),
            OutPath = Path.GetFullPath(settings.Out ?? Path.Combine(Path.GetTempPath(), $"posturesense-fleet-{devices}x{nodes}.json")),
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

/// <summary>The settings as written; each property is an option (<c>ServerDll</c> is <c>--server-dll</c>).</summary>
internal sealed class FleetBenchSettings
{
    public string? Mqtt { get; set; }
    public string? Influx { get; set; }
    public string? Db { get; set; }
    public string? ServerDll { get; set; }
    public int? Nodes { get; set; }
    public string? Cluster { get; set; }
    public int? Devices { get; set; }
    public int? Minutes { get; set; }
    public int? Seed { get; set; }
    public string? Work { get; set; }
    public string? Out { get; set; }
}
