using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using PostureSense.Core.Contract;
using PostureSense.Accounts;
using PostureSense.Server.Accounts;
using PostureSense.Server.Alerts;
using PostureSense.Server.Broker;
using PostureSense.Server.Coaching;
using PostureSense.Server.Configuration;
using PostureSense.Server.Hosting;
using PostureSense.Server.Ingestion;
using PostureSense.Server.Metrics;
using PostureSense.Accounts.Settings;
using PostureSense.Server.Settings;
using PostureSense.Storage;
using PostureSense.Storage.History;

namespace PostureSense.Server;

/// <summary>
/// The whole server in one object: a host whose services (<see cref="PostureSenseServices"/>) are
/// the store, embedded broker (unless an external one is given), ingestion and coaching, HTTP API
/// and dashboard, health and metrics. Built in-process by the demo and the tests, and by Program
/// for the command line. Every decision about the wearer runs on the given clock (the domain
/// clock, <see cref="PostureClock"/>), so the demo can run the day at 60x and tests on a fake clock.
/// </summary>
public sealed class PostureServer : IAsyncDisposable
{
    readonly TimeProvider _clock;
    readonly ILoggerFactory _loggers;
    readonly ILogger _log;
    readonly Action<IServiceCollection>? _configureServices;
    readonly bool _ownsProcess;
    WebApplication? _web;
    bool _started;

    /// <param name="clock">The domain clock; null: the real one.</param>
    /// <param name="configureServices">Runs after the server's own registrations: adds or replaces services (tests add workers).</param>
    /// <param name="ownsProcess">True for the program itself: Ctrl+C and SIGTERM stop the host (see <see cref="WaitForShutdownAsync"/>).</param>
    public PostureServer(ServerOptions options, TimeProvider? clock = null, ILoggerFactory? loggerFactory = null,
        Action<IServiceCollection>? configureServices = null, bool ownsProcess = false)
    {
        Options = options;
        _clock = clock ?? TimeProvider.System;
        _loggers = loggerFactory ?? NullLoggerFactory.Instance;
        _log = _loggers.CreateLogger<PostureServer>();
        _configureServices = configureServices;
        _ownsProcess = ownsProcess;
    }

    public ServerOptions Options { get; }
    public TimeProvider Clock => _clock;

    /// <summary>The host's services, between start and stop.</summary>
    public IServiceProvider Services => _web?.Services ?? throw new InvalidOperationException("the server is not started");

    public IngestionStats Stats => Get<IngestionStats>();

    /// <summary>Raised once a stretch prompt was published to the device and stored.</summary>
    public event Action<DeviceId, DeviceCommand>? PromptSent;

    /// <summary>Raised once a device's ack was stored.</summary>
    public event Action<DeviceId, CommandAck>? AckReceived;

    /// <summary>Where the API and dashboard listen, with the real port; null before start.</summary>
    public Uri? HttpUrl { get; private set; }

    /// <summary>Where <c>/healthz</c>, <c>/readyz</c> and <c>/metrics</c> listen, with the real port; null before start.</summary>
    public Uri? ManagementUrl { get; private set; }

    /// <summary>The MQTT broker the server uses: the embedded one's bound address, or the external one's.</summary>
    public string MqttHost => Options.Mqtt?.Host ?? Options.EmbeddedBrokerAddress.ToString();

    /// <summary>The MQTT port: the embedded broker's real bound port after start (even if 0 was asked), or the external one's.</summary>
    public int MqttPort => Options.Mqtt?.Port ?? (_web?.Services.GetService<EmbeddedBroker>()?.Port ?? Options.EmbeddedBrokerPort);

    public bool UsesEmbeddedBroker => Options.Mqtt is null;

    /// <summary>The embedded broker's TLS port, the real one after start; null without a TLS listener.</summary>
    public int? MqttTlsPort => _web?.Services.GetService<EmbeddedBroker>()?.TlsPort ?? Options.EmbeddedBrokerTls?.Port;

    /// <summary>The store, open between start and stop.</summary>
    public IPostureStore Store => Get<IPostureStore>();

    public AccountService Accounts => Get<AccountService>();
    public SettingsService Settings => Get<SettingsService>();

    /// <summary>The wearers' open browsers, each subscribed to their prompts.</summary>
    public AlertHub AlertHub => Get<AlertHub>();

    /// <summary>"Done" and "Snooze" from a notification or the dashboard.</summary>
    public PromptActions Answers => Get<PromptActions>();

    /// <summary>Where snoozed prompts' reminders wait.</summary>
    public ISnoozeReminders SnoozeReminders => Get<ISnoozeReminders>();

    /// <summary>Push deliveries, for tests and the demo to watch.</summary>
    public AlertDispatcher Alerts => Get<AlertDispatcher>();

    /// <summary>Config publishes, for tests and the demo to watch.</summary>
    public ConfigSync ConfigSync => Get<ConfigSync>();

    T Get<T>() where T : notnull => Services.GetRequiredService<T>();

    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (_started) throw new InvalidOperationException("the server is already started");
        _started = true;
        var opened = await OpenedStores.OpenAsync(Options, _clock, _loggers, cancellationToken);
        var listeners = new PostureWeb.Listeners();
        try
        {
            var builder = PostureWeb.CreateBuilder(Options, _loggers, _ownsProcess, listeners);
            builder.AddPostureCluster(Options, _loggers);
            builder.Services.AddPostureSense(Options, _clock, opened);
            _configureServices?.Invoke(builder.Services);
            _web = PostureWeb.MapRoutes(builder.Build());
        }
        catch
        {
            await opened.DisposeAsync();
            throw;
        }
        try
        {
            // Made first, so the container disposes them last, after everything that uses them.
            Get<AppDatabase>();
            Get<IPostureStore>();
            Get<CoachingService>().PromptSent += (id, cmd) => PromptSent?.Invoke(id, cmd);
            // In a cluster, the prompts this node's grains decide.
            if (Options.Cluster is not null) Get<PromptSender>().PromptSent += (id, cmd) => PromptSent?.Invoke(id, cmd);
            Get<IngestionPipeline>().AckReceived += (id, ack) => AckReceived?.Invoke(id, ack);
            await _web.StartAsync(cancellationToken);
            HttpUrl = PostureWeb.Listeners.UrlOf(listeners.Public);
            ManagementUrl = PostureWeb.Listeners.UrlOf(listeners.Management);
            _log.LogInformation("Dashboard and API on {Url}; health and metrics on {Management}", HttpUrl, ManagementUrl);
        }
        catch (Exception ex)
        {
            try
            {
                await StopAsync(CancellationToken.None);
            }
            catch (Exception stopFailure) when (stopFailure is not OperationCanceledException)
            {
                // A part that never started may refuse to stop (an Orleans silo does): the start's failure is the one to report.
                _log.LogDebug(stopFailure, "Stopping after a failed start failed too");
            }
            if (Options.Cluster is { } cluster && ex is StackExchange.Redis.RedisConnectionException)
                throw new IOException($"cannot reach the cluster's Redis at {cluster}", ex);
            throw;
        }
    }

    /// <summary>Until the host is told to stop (Ctrl+C, SIGTERM when it owns the process), then stops it.</summary>
    public Task WaitForShutdownAsync(CancellationToken cancellationToken = default) =>
        _web?.WaitForShutdownAsync(cancellationToken) ?? throw new InvalidOperationException("the server is not started");

    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        if (_web is null) return;
        var web = _web;
        try
        {
            await web.StopAsync(cancellationToken);
        }
        finally
        {
            await web.DisposeAsync();
            _web = null;
        }
    }

    public ValueTask DisposeAsync() => new(StopAsync(CancellationToken.None));
}
