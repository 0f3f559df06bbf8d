using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.AspNetCore.DataProtection;
using PostureSense.Accounts;
using PostureSense.Core.Contract;
using PostureSense.Server.Accounts;
using PostureSense.Server.Alerts;
using PostureSense.Server.Broker;
using PostureSense.Server.Coaching;
using PostureSense.Server.Configuration;
using PostureSense.Server.History;
using PostureSense.Server.Ingestion;
using PostureSense.Server.Settings;
using PostureSense.Storage;
using PostureSense.Storage.History;
using PostureSense.Storage.Influx;

namespace PostureSense.Server;

/// <summary>
/// The whole server in one object: store, embedded broker (unless an external one is given),
/// ingestion and coaching, HTTP API and dashboard. Built in-process by the demo and the tests,
/// and by Program for the command line. Every decision about the wearer runs on the injected
/// clock, so the demo can run the day at 60x and tests on a fake clock.
/// </summary>
public sealed class PostureServer : IAsyncDisposable
{
    /// <summary>How long start-up waits for the first MQTT subscription before carrying on in the background.</summary>
    static readonly TimeSpan FirstConnectWait = TimeSpan.FromSeconds(10);

    readonly TimeProvider _clock;
    readonly ILoggerFactory _loggers;
    readonly ILogger _log;
    IPostureStore? _store;
    EmbeddedBroker? _broker;
    MqttLink? _link;
    IngestionQueue? _ingest;
    AppDatabase? _appDb;
    ConfigSync? _configSync;
    AlertDispatcher? _alerts;
    PromptActions? _answers;
    WebApplication? _web;
    bool _started;

    public PostureServer(ServerOptions options, TimeProvider? clock = null, ILoggerFactory? loggerFactory = null)
    {
        Options = options;
        _clock = clock ?? TimeProvider.System;
        _loggers = loggerFactory ?? NullLoggerFactory.Instance;
        _log = _loggers.CreateLogger<PostureServer>();
    }

    public ServerOptions Options { get; }
    public TimeProvider Clock => _clock;
    public IngestionStats Stats { get; } = new();

    /// <summary>Raised once a stretch prompt was published to the device and stored.</summary>
    public event Action<string, DeviceCommand>? PromptSent;

    /// <summary>Raised once a device's ack was stored.</summary>
    public event Action<string, CommandAck>? AckReceived;

    /// <summary>Where the API and dashboard listen, with the real port; null before start.</summary>
    public Uri? HttpUrl { get; private set; }

    /// <summary>The MQTT broker the server uses: the embedded one's bound address, or the external one's.</summary>
    public string MqttHost => Options.Mqtt?.Host ?? Options.EmbeddedBrokerAddress.ToString();

    /// <summary>The MQTT port: the embedded broker's real bound port after start (even if 0 was asked), or the external one's.</summary>
    public int MqttPort => Options.Mqtt?.Port ?? _broker?.Port ?? Options.EmbeddedBrokerPort;

    public bool UsesEmbeddedBroker => Options.Mqtt is null;

    /// <summary>The store, open between start and stop.</summary>
    public IPostureStore Store => _store ?? throw new InvalidOperationException("the server is not started");

    /// <summary>Accounts, settings, history and alerts, between start and stop.</summary>
    public PostureServices Services => _services ?? throw new InvalidOperationException("the server is not started");
    PostureServices? _services;

    /// <summary>Push deliveries, for tests and the demo to watch.</summary>
    public AlertDispatcher Alerts => _alerts ?? throw new InvalidOperationException("the server is not started");

    /// <summary>Config publishes, for tests and the demo to watch.</summary>
    public ConfigSync ConfigSync => _configSync ?? throw new InvalidOperationException("the server is not started");

    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (_started) throw new InvalidOperationException("the server is already started");
        _started = true;
        try
        {
            var raw = await PostureStores.OpenAsync(Options.Store, _clock, cancellationToken, _loggers);
            if (raw is InfluxStore influx)
                influx.PointsDropped += d => Stats.Fail(RejectionReasons.StoreDropped,
                    $"InfluxDB refused {d.Dropped?.ToString() ?? "some"} of {d.Sent} points ({(int)d.Status}): {d.Error}", Options.Store.ToString(),
                    _clock.GetUtcNow().ToUnixTimeMilliseconds());
            _store = new RetryingStore(raw, new StoreFailureStats(Stats), _clock, _loggers.CreateLogger<RetryingStore>());
            _log.LogInformation("Storing to {Store}", Options.Store);

            _appDb = await AppDatabase.OpenAsync(Options.AppDatabasePath, cancellationToken);
            var accounts = await AccountService.OpenAsync(_appDb, _clock, _loggers.CreateLogger<AccountService>(), cancellationToken);
            var settings = await SettingsService.OpenAsync(_appDb, accounts, _clock, _loggers.CreateLogger<SettingsService>(), cancellationToken);
            _log.LogInformation("Accounts and settings in {Path}", _appDb.Path);

            if (UsesEmbeddedBroker)
            {
                _broker = new EmbeddedBroker(Options.EmbeddedBrokerAddress, Options.EmbeddedBrokerPort, Stats, _clock,
                    _loggers.CreateLogger<EmbeddedBroker>());
                await _broker.StartAsync();
            }

            var coaching = new CoachingService(_store, new LinkPublisher(this), Stats, _clock, _loggers.CreateLogger<CoachingService>(),
                sharedIngestion: Options.MqttShareGroup is not null, settings: settings);
            var days = new DayReports(_store, _clock, coaching.SettingsFor);
            var summaries = new DaySummaries(days, _clock);
            settings.DeviceSettingsChanged += deviceId =>
            {
                summaries.Forget(deviceId);
                coaching.Reconfigure(deviceId);
            };

            // Cookies and notification links are signed with keys kept beside the app database,
            // so sessions and links survive a restart.
            var protection = DataProtectionProvider.Create(new DirectoryInfo(Options.KeysDirectory),
                p => p.SetApplicationName("PostureSense"));
            var signer = new AlertLinkSigner(protection, Options.PublicUrl, _clock);
            var hub = new AlertHub();
            _alerts = new AlertDispatcher(accounts, settings, hub, signer, Options.AlertDelivery, _loggers.CreateLogger<AlertDispatcher>());
            coaching.PromptSent += (id, cmd) => PromptSent?.Invoke(id, cmd);
            coaching.PromptSent += _alerts.OnPromptSent;
            var pipeline = new IngestionPipeline(_store, coaching, Stats, _clock, _loggers.CreateLogger<IngestionPipeline>());
            pipeline.AckReceived += (id, ack) => AckReceived?.Invoke(id, ack);
            pipeline.AckReceived += (id, ack) => summaries.AckStored(id, ack.Ts);
            pipeline.FramesStored += summaries.FramesStored;

            _ingest = new IngestionQueue(pipeline, Stats, _loggers.CreateLogger<IngestionQueue>(), _store.WritesInFlight);
            var mqtt = new MqttLinkOptions(ConnectHost(), MqttPort, Options.ClientId, Options.Mqtt?.UserName, Options.Mqtt?.Password);
            _link = new MqttLink(mqtt, IngestionPipeline.SubscriptionsFor(Options.MqttShareGroup), _ingest, Stats, _clock,
                _loggers.CreateLogger<MqttLink>());
            await _link.StartAsync(FirstConnectWait, cancellationToken);
            _configSync = new ConfigSync(settings, accounts, new LinkPublisher(this), _clock, _loggers.CreateLogger<ConfigSync>());

            _answers = new PromptActions(_store, settings, _alerts, _clock, _loggers.CreateLogger<PromptActions>());
            _answers.Answered += ack => summaries.AckStored(ack.DeviceId, ack.Ts);
            _services = new PostureServices(Options, _clock, _store, Stats, accounts, settings, days, summaries,
                new LiveStates(_store, settings, _clock), hub, _answers, new LinkPublisher(this));
            _web = PostureWeb.Build(Options.Http, _loggers, _services, protection, signer);
            await _web.StartAsync(cancellationToken);
            HttpUrl = PostureWeb.BoundUrl(_web);
            _log.LogInformation("Dashboard and API on {Url}", HttpUrl);
        }
        catch
        {
            await StopAsync(CancellationToken.None);
            throw;
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        if (_web is not null)
        {
            await _web.StopAsync(cancellationToken);
            await _web.DisposeAsync();
            _web = null;
        }
        if (_configSync is not null)
        {
            await _configSync.DisposeAsync();
            _configSync = null;
        }
        _answers?.Dispose();
        _answers = null;
        if (_alerts is not null)
        {
            await _alerts.DisposeAsync();
            _alerts = null;
        }
        if (_link is not null)
        {
            await _link.DisposeAsync();
            _link = null;
        }
        // After the link: nothing new arrives, and what is queued but unstored stays unacknowledged.
        if (_ingest is not null)
        {
            await _ingest.DisposeAsync();
            _ingest = null;
        }
        if (_broker is not null)
        {
            await _broker.DisposeAsync();
            _broker = null;
        }
        if (_store is not null)
        {
            await _store.DisposeAsync();
            _store = null;
        }
        if (_appDb is not null)
        {
            await _appDb.DisposeAsync();
            _appDb = null;
        }
        _services = null;
    }

    public ValueTask DisposeAsync() => new(StopAsync(CancellationToken.None));

    /// <summary>The embedded broker bound to "any" is still reached over loopback from inside the process.</summary>
    string ConnectHost()
    {
        if (Options.Mqtt is { } external) return external.Host;
        var address = Options.EmbeddedBrokerAddress;
        if (address.Equals(System.Net.IPAddress.Any)) return System.Net.IPAddress.Loopback.ToString();
        if (address.Equals(System.Net.IPAddress.IPv6Any)) return System.Net.IPAddress.IPv6Loopback.ToString();
        return address.ToString();
    }

    /// <summary>Publishes through whichever link is current, so the coaching service needs no reference to it at construction.</summary>
    sealed class LinkPublisher(PostureServer server) : ICommandPublisher, IConfigPublisher
    {
        public Task PublishCommandAsync(string deviceId, DeviceCommand command, CancellationToken cancellationToken) =>
            server._link?.PublishCommandAsync(deviceId, command, cancellationToken)
            ?? throw new InvalidOperationException("the MQTT link is not running");

        public Task PublishConfigAsync(string deviceId, DeviceConfig config, CancellationToken cancellationToken) =>
            server._link?.PublishConfigAsync(deviceId, config, cancellationToken)
            ?? throw new InvalidOperationException("the MQTT link is not running");
    }
}
