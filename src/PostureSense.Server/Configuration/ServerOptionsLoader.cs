using System.CommandLine;
using Microsoft.Extensions.Configuration;
using PostureSense.Core.Configuration;
using PostureSense.Hosting.Options;
using PostureSense.Mqtt.Tls;
using PostureSense.Server.Outbound;
using PostureSense.Storage;

namespace PostureSense.Server.Configuration;

/// <summary>
/// Reads the options from, lowest to highest precedence: appsettings.json (section
/// <c>PostureSense</c>), environment variables (<c>POSTURESENSE_MQTT</c>, <c>_STORE</c>, ...) and the
/// command line (<c>--mqtt</c>, <c>--store</c>, ...), and checks them all at once.
/// </summary>
public static class ServerOptionsLoader
{
    public const string Section = SettingName.Section;
    public const string EnvironmentPrefix = SettingName.EnvironmentPrefix;

    static RootCommand Command() => ProgramCommandLine.Root(
        "The PostureSense server: ingestion, storage, coaching, the API and the dashboard. Every option can also be " +
        "set as the environment variable in brackets or in appsettings.json, section PostureSense (--mqtt-share is " +
        "MqttShare); the command line wins, then the environment.",
        new Option<string>("--mqtt")
        {
            HelpName = "URL",
            Description = "the external MQTT broker to ingest from and send commands through, mqtt://[user:pass@]host:port, " +
                          "or over TLS mqtts://[user:pass@]host:port (port 8883 by default); give a password through " +
                          "POSTURESENSE_MQTT instead, where the process list does not show it (default: an embedded broker on 127.0.0.1:1883)",
        },
        new Option<string>("--mqtt-ca")
        {
            HelpName = "FILE",
            Description = "with an mqtts:// broker: a CA certificate (PEM) to trust, for a broker with a self-signed one",
        },
        new Option<string>("--mqtt-share")
        {
            HelpName = "GROUP",
            Description = "with --mqtt: subscribe through $share/GROUP/ so several servers split the devices' messages",
        },
        new Option<string>("--mqtt-client-id")
        {
            HelpName = "ID",
            Description = $"the server's MQTT client id, kept stable; one per server of a share group (default {ServerClient.IdPrefix})",
        },
        new Option<string>("--cluster")
        {
            HelpName = "URL",
            Description = "join a cluster of server nodes that meet through this Redis, redis://[user:pass@]host:port: each device is " +
                          "coached by one node whichever node receives its messages; use with --mqtt-share and a distinct " +
                          "--mqtt-client-id per node (default: none, one node alone needs nothing)",
        },
        new Option<string>("--cluster-listen")
        {
            HelpName = "IP[:PORT]",
            Description = "with --cluster: where this node listens for the other nodes, an address they reach (default 127.0.0.1 on a free port)",
        },
        new Option<string>("--cluster-probe-timeout")
        {
            HelpName = "DURATION",
            Description = "with --cluster: how long a node waits for another's answer to a liveness probe, such as 10s or 1m; " +
                          "a node is declared dead after --cluster-missed-probes of them (default 10s)",
        },
        new Option<int>("--cluster-missed-probes")
        {
            HelpName = "N",
            Description = $"with --cluster: how many probes in a row a node may miss before the others declare it dead, 1-{ClusterMembership.MaxMissedProbes} (default 4)",
        },
        new Option<string>("--cluster-cert")
        {
            HelpName = "FILE",
            Description = "with --cluster: this node's certificate (PEM), signed by --cluster-ca and good for serverAuth and clientAuth, " +
                          "as deploy/cluster/make-certs.sh makes it; with --cluster-key and --cluster-ca the nodes talk over mutual TLS, " +
                          "which a --cluster-listen address beyond loopback requires",
        },
        new Option<string>("--cluster-key")
        {
            HelpName = "FILE",
            Description = "with --cluster-cert: its private key (PEM, unencrypted)",
        },
        new Option<string>("--cluster-ca")
        {
            HelpName = "FILE",
            Description = "with --cluster-cert: the cluster's private CA certificate (PEM); a node accepts only nodes whose certificate it signed",
        },
        new Option<bool>("--allow-unprovisioned-devices")
        {
            Description = "let devices nobody provisioned (posturesense device add) connect to the embedded broker without a password, " +
                          "as their client id says; for a trial on one machine only (default: refused)",
        },
        new Option<int>("--mqtt-max-packet")
        {
            HelpName = "BYTES",
            Description = $"the largest MQTT packet the embedded broker takes; a client sending more is disconnected (default {ServerOptions.DefaultMaxPacketSize})",
        },
        new Option<string>("--broker-listen")
        {
            HelpName = "URL,...",
            Description = "where the embedded broker listens: mqtts://IP:PORT opens a TLS listener (port 8883 by default) for devices " +
                          "on other machines, with --broker-cert and --broker-key; mqtt://IP:PORT moves the plain one, which stays on " +
                          "loopback (default mqtt://127.0.0.1:1883)",
        },
        new Option<string>("--broker-cert")
        {
            HelpName = "FILE",
            Description = "with --broker-listen mqtts://: the broker's certificate (PEM), such as deploy/mosquitto/make-certs.sh makes",
        },
        new Option<string>("--broker-key")
        {
            HelpName = "FILE",
            Description = "with --broker-listen mqtts://: the certificate's private key (PEM, unencrypted)",
        },
        new Option<string>("--store")
        {
            HelpName = "LOCATION",
            Description = "where the time series goes: sqlite:PATH, influxdb[s]://[user:pass@]host:port/DATABASE or " +
                          $"influxdb2[s]://host:port/?org=ORG&bucket=BUCKET&token=TOKEN (default {StoreLocation.Default})",
        },
        new Option<string>("--http")
        {
            HelpName = "http://IP:PORT",
            Description = $"where the API and dashboard listen (default {HttpEndpoint.Default})",
        },
        new Option<string>("--management")
        {
            HelpName = "http://IP:PORT",
            Description = $"where /healthz, /readyz and /metrics listen, apart from the wearers' address: they are fleet-wide (default {HttpEndpoint.DefaultManagement})",
        },
        new Option<string>("--app-db")
        {
            HelpName = "PATH",
            Description = "the app database (accounts, devices, settings); default: beside a SQLite store, else posturesense-app.db",
        },
        new Option<string>("--signup")
        {
            HelpName = "open|closed",
            Description = "whether anyone who reaches the server may make an account (default open)",
        },
        new Option<string>("--public-url")
        {
            HelpName = "https://host/",
            Description = "how wearers and phones reach the server: the buttons of push notifications, the only other origin " +
                          "a browser's form or API call may come from, and with https:// Secure cookies even behind a TLS proxy",
        },
        new Option<string>("--operators")
        {
            HelpName = "EMAIL,...",
            Description = "accounts that may see the fleet-wide /api/stats, besides those given the role with posturesense users grant-operator",
        },
        new Option<string>("--trust-proxy")
        {
            HelpName = "IP,...",
            Description = "reverse proxies whose X-Forwarded-For and X-Forwarded-Proto headers are believed (default: none; the headers are ignored)",
        },
        new Option<string>("--alert-allow")
        {
            HelpName = "HOST[:PORT]|IP[:PORT]|CIDR,...",
            Description = "hosts and ranges wearers' ntfy and webhook URLs may reach although they are loopback, private or " +
                          "link-local, such as a self-hosted ntfy on the LAN (default: none; the server's own broker, store and listeners stay refused)",
        },
        new Option<string>("--session-expiry")
        {
            HelpName = "DURATION",
            Description = "how long an external broker keeps the server's session and the messages queued for it while the " +
                          "server is away, such as 7d, 36h or 90m; a longer outage loses what devices sent meanwhile (default 7d)",
        },
        new Option<string>("--device-idle")
        {
            HelpName = "DURATION",
            Description = "how long a device may send nothing before the server lets go of its coach and cached days, " +
                          "such as 1h or 30m; it is restored from the store when the device comes back (default 1h)",
        },
        new Option<string>("--mqtt-password-file")
        {
            HelpName = "FILE",
            Description = "a file holding the password of the --mqtt user (a docker secret, say); or set POSTURESENSE_MQTT_PASSWORD",
        },
        // Environment (or appsettings) only: a password on the command line shows in the process list.
        new Option<string>("--mqtt-password") { Hidden = true },
        new Option<string>("--store-password-file")
        {
            HelpName = "FILE",
            Description = "a file holding the password of the user in an influxdb:// --store; or set POSTURESENSE_STORE_PASSWORD",
        },
        new Option<string>("--store-password") { Hidden = true });

    /// <summary>The generated help.</summary>
    public static string Usage => ProgramCommandLine.Help(Command());

    public static bool WantsHelp(IReadOnlyList<string> args) => ProgramCommandLine.WantsHelp(ProgramCommandLine.Parse(Command(), args));

    /// <summary>
    /// The merged configuration (a <see cref="LayeredConfiguration"/>, which knows where each value
    /// came from); problems with the command line are reported by <see cref="FromConfiguration"/>.
    /// </summary>
    /// <param name="appSettingsDirectory">Read after the program's own folder; default: the working directory.</param>
    public static IConfiguration Build(IReadOnlyList<string> args, string? appSettingsDirectory = null) =>
        LayeredConfiguration.Load(ProgramCommandLine.Parse(Command(), args),
            SettingsSources.BesideProgramAndWorkingDirectory(appSettingsDirectory));

    /// <summary>The merged configuration with the environment and appsettings.json from <paramref name="sources"/>.</summary>
    public static IConfiguration Build(IReadOnlyList<string> args, SettingsSources sources) =>
        LayeredConfiguration.Load(ProgramCommandLine.Parse(Command(), args), sources);
    const int MinMaxPacket = PostureSense.Core.Contract.ContractLimits.MaxTelemetryBytes + 1024;

    public static ServerOptions Load(IReadOnlyList<string> args, string? appSettingsDirectory = null) =>
        FromConfiguration(Build(args, appSettingsDirectory));

    /// <summary>
    /// The options, every problem in one <see cref="OptionsException"/>. A configuration from
    /// <see cref="Build"/> names where a bad value came from and brings the command line's problems;
    /// any other (a host's own, say) is read from its <c>PostureSense</c> section.
    /// </summary>
    /// <param name="args">Not needed any more: a configuration from <see cref="Build"/> names its own sources. Kept so callers compile unchanged.</param>
    public static ServerOptions FromConfiguration(IConfiguration configuration, IReadOnlyList<string>? args = null)
    {
        var layers = configuration as LayeredConfiguration;
        var settings = configuration.GetSection(Section).Get<ServerSettings>() ?? new ServerSettings();
        var problems = layers?.StartChecks() ?? new OptionProblems();
        var options = new ServerOptions();
        string Source(string key) => layers?.SourceOf(key) ?? $"{Section}:{key}";

        if (settings.Mqtt is { } mqtt)
            options = options with { Mqtt = problems.Check(() => MqttBrokerAddress.Parse(mqtt, Source("Mqtt"), allowTls: true), null) };
        if (settings.MqttCa is { } ca)
        {
            if (options.Mqtt is { Tls: false } plain)
                problems.Add($"{Source("MqttCa")} only applies to a TLS broker (mqtts://), not {plain}");
            else if (settings.Mqtt is null)
                problems.Add($"{Source("MqttCa")} only applies to an external TLS broker (--mqtt mqtts://...), not the embedded one");
            else if (options.Mqtt is not null)
                options = options with { MqttCa = problems.Check(() => BrokerTrust.LoadCa(ca, Source("MqttCa")), null) };
        }
        if (settings.MqttShare is { } group)
        {
            if (settings.Mqtt is null)
                problems.Add($"{Source("MqttShare")} needs an external broker (--mqtt): the embedded one has no shared subscriptions");
            else
                options = options with { MqttShareGroup = problems.Check(() => ParseShareGroup(group, Source("MqttShare")), null) };
        }
        if (settings.MqttClientId is { } clientId)
            options = options with { ClientId = problems.Check(() => ParseClientId(clientId, Source("MqttClientId")), options.ClientId) };
        if (settings.Cluster is { } cluster)
        {
            // A prompt is published by whichever node holds the device's grain: the device must hear every node.
            if (settings.Mqtt is null)
                problems.Add($"{Source("Cluster")} needs an external broker (--mqtt) that every node and device share");
            else
                options = options with { Cluster = problems.Check(() => ClusterAddress.Parse(cluster, Source("Cluster")), null) };
        }
        if (settings.ClusterListen is { } clusterListen)
        {
            if (settings.Cluster is null)
                problems.Add($"{Source("ClusterListen")} applies only with --cluster");
            else
                options = options with { ClusterListen = problems.Check(() => ClusterEndpoint.Parse(clusterListen, Source("ClusterListen")), options.ClusterListen) };
        }
        if (settings.ClusterProbeTimeout is { } probeTimeout)
        {
            if (settings.Cluster is null)
                problems.Add($"{Source("ClusterProbeTimeout")} applies only with --cluster");
            else
                options = options with { ClusterMembership = options.ClusterMembership with
                {
                    ProbeTimeout = problems.Check(() => ParseProbeTimeout(probeTimeout, Source("ClusterProbeTimeout")), options.ClusterMembership.ProbeTimeout),
                } };
        }
        if (settings.ClusterMissedProbes is { } missed)
        {
            if (settings.Cluster is null)
                problems.Add($"{Source("ClusterMissedProbes")} applies only with --cluster");
            else if (missed is < 1 or > ClusterMembership.MaxMissedProbes)
                problems.Add($"{Source("ClusterMissedProbes")} '{missed}' must be from 1 to {ClusterMembership.MaxMissedProbes}");
            else
                options = options with { ClusterMembership = options.ClusterMembership with { MissedProbes = missed } };
        }
        options = ClusterTlsOptions.Apply(options, settings, Source, problems);
        if (settings.AllowUnprovisionedDevices is { } allow)
        {
            if (settings.Mqtt is not null && allow)
                problems.Add($"{Source("AllowUnprovisionedDevices")} applies to the embedded broker only; an external broker has its own users");
            options = options with { AllowUnprovisionedDevices = allow };
        }
        if (settings.MqttMaxPacket is { } maxPacket)
        {
            if (settings.Mqtt is not null)
                problems.Add($"{Source("MqttMaxPacket")} applies to the embedded broker only; set an external broker's limit in its own configuration");
            // Below the largest telemetry batch plus room for its topic, valid devices would be cut off.
            else if (maxPacket < MinMaxPacket || maxPacket > 16 * 1024 * 1024)
                problems.Add($"{Source("MqttMaxPacket")} '{maxPacket}' must be from {MinMaxPacket} to 16777216 bytes");
            else
                options = options with { EmbeddedBrokerMaxPacketSize = maxPacket };
        }
        if (settings.Store is { } store)
            options = options with { Store = problems.Check(() => StoreLocation.Parse(store, Source("Store")), options.Store) };
        if (settings.Http is { } http)
            options = options with { Http = problems.Check(() => HttpEndpoint.Parse(http, Source("Http")), options.Http) };
        if (settings.Management is { } management)
            options = options with { Management = problems.Check(() => HttpEndpoint.Parse(management, Source("Management")), options.Management) };
        if (settings.AppDb is { } appDb)
            options = options with { AppDatabase = appDb };
        if (settings.Signup is { } signUp)
            options = options with { SignUpOpen = problems.Check(() => ParseSignUp(signUp, Source("Signup")), options.SignUpOpen) };
        if (settings.PublicUrl is { } publicUrl)
            options = options with { PublicUrl = problems.Check(() => ParsePublicUrl(publicUrl, Source("PublicUrl")), null) };
        if (settings.AlertAllow is { } alertAllow)
            options = options with
            {
                AlertDelivery = options.AlertDelivery with { Allow = problems.Check(() => ParseAlertAllow(alertAllow, Source("AlertAllow")), OutboundAllowlist.None) },
            };
        if (settings.SessionExpiry is { } expiry)
            options = options with { SessionExpiry = problems.Check(() => ParseSessionExpiry(expiry, Source("SessionExpiry")), options.SessionExpiry) };
        if (settings.DeviceIdle is { } idle)
            options = options with { DeviceIdle = problems.Check(() => ParseSessionExpiry(idle, Source("DeviceIdle")), options.DeviceIdle) };
        options = ServerSecrets.Apply(options, settings, Source, problems);
        options = BrokerListeners.Apply(options, settings, Source, problems);
        if (settings.Operators is { } operators)
            options = options with { Operators = [.. operators.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)] };
        if (settings.TrustProxy is { } proxies)
            options = options with { TrustedProxies = problems.Check(() => ParseProxies(proxies, Source("TrustProxy")), []) };
        problems.ThrowIfAny();
        return options;
    }

    static IReadOnlyList<System.Net.IPAddress> ParseProxies(string value, string source) =>
        [.. value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(part =>
            System.Net.IPAddress.TryParse(part, out var ip) ? ip : throw new OptionsException($"{source} '{part}' is not an IP address"))];

    /// <summary>A duration like <c>--session-expiry</c>'s, from 1 s to 5 min: shorter declares busy nodes dead, longer leaves a dead one's devices uncoached.</summary>
    static TimeSpan ParseProbeTimeout(string value, string source)
    {
        var timeout = ParseSessionExpiry(value, source);
        if (timeout < ClusterMembership.MinProbeTimeout || timeout > ClusterMembership.MaxProbeTimeout)
            throw new OptionsException($"{source} '{value}' must be from 1s to 5m");
        return timeout;
    }

    /// <summary>
    /// A whole number with a unit: s, m, h or d. Above zero (zero would end the session with every
    /// disconnect); at most what MQTT's 32-bit session expiry interval holds.
    /// </summary>
    internal static TimeSpan ParseSessionExpiry(string value, string source)
    {
        var text = value.Trim().ToLowerInvariant();
        TimeSpan? parsed = text.Length >= 2 && long.TryParse(text[..^1], System.Globalization.NumberStyles.None, null, out var n) && n < 100_000_000
            ? text[^1] switch
            {
                's' => TimeSpan.FromSeconds(n),
                'm' => TimeSpan.FromMinutes(n),
                'h' => TimeSpan.FromHours(n),
                'd' => TimeSpan.FromDays(n),
                _ => null,
            }
            : null;
        if (parsed is not { } expiry)
            throw new OptionsException($"{source} '{value}' must be a whole number with a unit: s, m, h or d (such as 7d)");
        if (expiry <= TimeSpan.Zero || expiry.TotalSeconds >= uint.MaxValue)
            throw new OptionsException($"{source} '{value}' must be between 1s and {uint.MaxValue / 86400 - 1}d");
        return expiry;
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

    static OutboundAllowlist ParseAlertAllow(string value, string source)
    {
        try
        {
            return OutboundAllowlist.Parse(value);
        }
        catch (FormatException ex)
        {
            throw new OptionsException($"{source}: {ex.Message}");
        }
    }

    /// <summary>A share group name is one topic level: no wildcards, no separator.</summary>
    static string ParseShareGroup(string value, string source) =>
        value.Length <= 64 && value.IndexOfAny(['/', '+', '#']) < 0 && !value.Any(char.IsControl)
            ? value
            : throw new OptionsException($"{source} '{value}' must be one topic level of at most 64 characters, without '/', '+' or '#'");
}
