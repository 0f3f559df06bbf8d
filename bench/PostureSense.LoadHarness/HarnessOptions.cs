using PostureSense.Core.Configuration;

namespace PostureSense.LoadHarness;

/// <summary>The command line; every problem is one <see cref="OptionsException"/> line.</summary>
sealed record HarnessOptions
{
    public const string Usage = """
        usage: PostureSense.LoadHarness --mqtt mqtt://HOST:PORT --server-dll PATH
                 (--influx http://HOST:PORT --db NAME | --sqlite PATH)
                 [--devices 1000] [--batches 20] [--frames 5] [--timeout 600] [--out FILE.json]
        The InfluxDB database must exist and be empty; the ceiling run writes to NAME_ceiling and NAME_ceiling_gz.
        """;

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

    public static HarnessOptions Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i++)
        {
            var name = args[i];
            if (!Known.Contains(name)) throw new OptionsException($"unknown option '{name}'");
            if (i + 1 >= args.Length) throw new OptionsException($"{name} needs a value");
            values[name] = args[++i];
        }

        string? Get(string name) => values.GetValueOrDefault(name);
        string Required(string name) => Get(name) ?? throw new OptionsException($"{name} is required");

        var mqtt = MqttBrokerAddress.Parse(Required("--mqtt"));
        var influx = Get("--influx");
        var sqlite = Get("--sqlite");
        if ((influx is null) == (sqlite is null)) throw new OptionsException("give exactly one of --influx URL (with --db) and --sqlite PATH");
        Uri? influxUri = null;
        if (influx is not null)
        {
            if (!Uri.TryCreate(influx, UriKind.Absolute, out influxUri) || influxUri.Scheme != Uri.UriSchemeHttp || influxUri.Port <= 0)
                throw new OptionsException($"--influx '{influx}' is not an http://HOST:PORT URL");
            var db = Required("--db");
            if (db.Length == 0 || db.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '_' or '-')))
                throw new OptionsException($"--db '{db}' must be letters, digits, '_' or '-'");
        }
        else if (values.ContainsKey("--db")) throw new OptionsException("--db goes with --influx, not --sqlite");

        var serverDll = Required("--server-dll");
        if (!File.Exists(serverDll)) throw new OptionsException($"--server-dll '{serverDll}' does not exist; build the server in Release first");

        var devices = Int("--devices", 1000, 1, 9999); // the fleet's ids have four digits
        return new HarnessOptions
        {
            Mqtt = mqtt,
            Influx = influxUri,
            Database = Get("--db"),
            SqlitePath = sqlite is null ? null : Path.GetFullPath(sqlite),
            ServerDll = Path.GetFullPath(serverDll),
            Devices = devices,
            Batches = Int("--batches", 20, 1, 1_000_000),
            Frames = Int("--frames", 5, 1, 60), // the contract's 1 to 60 frames per batch
            Timeout = TimeSpan.FromSeconds(Int("--timeout", 600, 1, 86_400)),
            OutPath = Path.GetFullPath(Get("--out") ?? Path.Combine(Path.GetTempPath(), $"posturesense-ingest-{devices}.json")),
        };

        int Int(string name, int fallback, int min, int max)
        {
            if (Get(name) is not { } text) return fallback;
            if (!int.TryParse(text, out var value) || value < min || value > max)
                throw new OptionsException($"{name} '{text}' must be a whole number from {min} to {max}");
            return value;
        }
    }

    static readonly HashSet<string> Known =
        ["--mqtt", "--influx", "--db", "--sqlite", "--server-dll", "--devices", "--batches", "--frames", "--timeout", "--out"];
}
