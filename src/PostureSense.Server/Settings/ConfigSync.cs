using System.Threading.Channels;
using Microsoft.Extensions.Logging;
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

    readonly SettingsService _settings;
    readonly IConfigPublisher _publisher;
    readonly TimeProvider _clock;
    readonly ILogger _log;
    readonly Channel<string> _queue = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });
    readonly HashSet<string> _pending = new(StringComparer.Ordinal);

    public ConfigSync(SettingsService settings, AccountService accounts, IConfigPublisher publisher, TimeProvider clock, ILogger<ConfigSync> log,
        WorkerHealth health, WorkerRestart restart)
        : base("config-sync", health, restart, log)
    {
        _settings = settings;
        _publisher = publisher;
        _clock = clock;
        _log = log;
        settings.DeviceSettingsChanged += Enqueue;
        foreach (var deviceId in accounts.OwnedDevices()) Enqueue(deviceId);
    }

    /// <summary>Raised after a config reached the broker. Handlers must not block.</summary>
    public event Action<string, DeviceConfig>? Published;

    /// <summary>The config a device should have: its wearer's settings, stamped when they were saved (now, for defaults never saved).</summary>
    public DeviceConfig ConfigFor(string deviceId)
    {
        var config = _settings.ForDevice(deviceId).Coaching;
        return config.Ts is null or 0 ? config with { Ts = _clock.GetUtcNow().ToUnixTimeMilliseconds() } : config;
    }

    void Enqueue(string deviceId)
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
            {
                for (var delay = FirstDelay; ; delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxDelay.Ticks)))
                {
                    // Taken off the pending set first: a save during the publish queues the device again.
                    lock (_pending) _pending.Remove(deviceId);
                    var config = ConfigFor(deviceId);
                    try
                    {
                        await _publisher.PublishConfigAsync(deviceId, config, stop);
                        _log.LogInformation("Sent config of {DeviceId} (saved {Ts})", deviceId, config.Ts);
                        Raise(deviceId, config);
                        break;
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException)
                    {
                        _log.LogWarning("Could not send the config of {DeviceId}: {Error}; retrying in {Delay}", deviceId, ex.Message, delay);
                    }
                    // Real time: this waits on the broker, not on the wearer.
                    await Task.Delay(delay, stop);
                    lock (_pending)
                        if (!_pending.Add(deviceId)) break; // queued again meanwhile: that turn sends the newest
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Stopping: the next start sends every owned device's config again.
        }
    }

    void Raise(string deviceId, DeviceConfig config)
    {
        try { Published?.Invoke(deviceId, config); }
        catch (Exception ex) { _log.LogError(ex, "A config Published handler failed"); }
    }
}
