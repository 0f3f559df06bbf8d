using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;
using PostureSense.Accounts;
using PostureSense.Core.Contract;
using PostureSense.Server.Accounts;
using PostureSense.Server.Workers;

namespace PostureSense.Server.Settings;

/// <summary>
/// Keeps every owned device's retained <c>config</c> on the broker equal to its wearer's settings:
/// sent when they are saved, when the device changes hands, and at start (an embedded broker
/// forgets retained messages when it stops). A publish that fails is retried with backoff until
/// it goes through; saving never waits for the broker. The sending loop is a worker the host runs.
/// </summary>
public sealed class ConfigSync : SupervisedWorker
{
    static readonly TimeSpan FirstDelay = TimeSpan.FromSeconds(1);
    static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(30);
    static readonly ResiliencePropertyKey<string> DeviceKey = new("device-id");

    readonly SettingsService _settings;
    readonly IConfigPublisher _publisher;
    readonly TimeProvider _clock;
    readonly ILogger _log;
    readonly Channel<DeviceId> _queue = Channel.CreateUnbounded<DeviceId>(new UnboundedChannelOptions { SingleReader = true });
    readonly HashSet<DeviceId> _pending = [];
    readonly ResiliencePipeline _retry;

    public ConfigSync(SettingsService settings, AccountService accounts, IConfigPublisher publisher, TimeProvider clock, ILogger<ConfigSync> log,
        WorkerHealth health, WorkerRestart restart)
        : base("config-sync", health, restart, log)
    {
        _settings = settings;
        _publisher = publisher;
        _clock = clock;
        _log = log;
        // Real time: this waits on the broker, not on the wearer.
        _retry = new ResiliencePipelineBuilder { TimeProvider = TimeProvider.System }
            .AddRetry(new RetryStrategyOptions
            {
                // A broker can stay away for long (restarting, unreachable): keep trying, at most MaxDelay apart.
                ShouldHandle = new PredicateBuilder().Handle<Exception>(ex => ex is not OperationCanceledException),
                MaxRetryAttempts = int.MaxValue,
                BackoffType = DelayBackoffType.Exponential,
                Delay = FirstDelay,
                MaxDelay = MaxDelay,
                OnRetry = args =>
                {
                    _log.LogWarning("Could not send the config of {DeviceId}: {Error}; retrying in {Delay}",
                        args.Context.Properties.GetValue(DeviceKey, ""), args.Outcome.Exception?.Message, args.RetryDelay);
                    return ValueTask.CompletedTask;
                },
            })
            .Build();
        settings.DeviceSettingsChanged += Enqueue;
        foreach (var deviceId in accounts.OwnedDevices()) Enqueue(deviceId);
    }

    /// <summary>Raised after a config reached the broker. Handlers must not block.</summary>
    public event Action<DeviceId, DeviceConfig>? Published;

    /// <summary>The config a device should have: its wearer's settings, stamped when they were saved (now, for defaults never saved).</summary>
    public DeviceConfig ConfigFor(DeviceId deviceId)
    {
        var config = _settings.ForDevice(deviceId).Coaching;
        return config.Ts is null or 0 ? config with { Ts = _clock.GetUtcNow().ToUnixTimeMilliseconds() } : config;
    }

    void Enqueue(DeviceId deviceId)
    {
        lock (_pending)
            if (!_pending.Add(deviceId)) return;
        _queue.Writer.TryWrite(deviceId);
    }

    protected override async Task RunAsync(CancellationToken stop)
    {
        try
        {
            await foreach (var deviceId in _queue.Reader.ReadAllAsync(stop))
                await SendAsync(deviceId, stop);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Stopping: the next start sends every owned device's config again.
        }
    }

    /// <summary>Sends a device's config, retrying until it goes through or the device is queued again.</summary>
    async Task SendAsync(DeviceId deviceId, CancellationToken stop)
    {
        var context = ResilienceContextPool.Shared.Get(stop);
        context.Properties.Set(DeviceKey, deviceId.Value);
        try
        {
            var retry = false;
            await _retry.ExecuteAsync(async ctx =>
            {
                lock (_pending)
                {
                    // Queued again while waiting to retry: that turn sends the newest.
                    if (retry && _pending.Contains(deviceId)) return;
                    // Taken off the pending set first: a save during the publish queues the device again.
                    _pending.Remove(deviceId);
                }
                retry = true;
                var config = ConfigFor(deviceId);
                await _publisher.PublishConfigAsync(deviceId, config, ctx.CancellationToken);
                _log.LogInformation("Sent config of {DeviceId} (saved {Ts})", deviceId, config.Ts);
                Raise(deviceId, config);
            }, context);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    void Raise(DeviceId deviceId, DeviceConfig config)
    {
        try { Published?.Invoke(deviceId, config); }
        catch (Exception ex) { _log.LogError(ex, "A config Published handler failed"); }
    }
}
