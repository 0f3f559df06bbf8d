using Microsoft.Extensions.Logging;
using PostureSense.Core.Coaching;
using PostureSense.Core.Contract;
using PostureSense.Core.Device;
using PostureSense.Core.Exercises;
using PostureSense.Core.History;
using PostureSense.Core.Posture;
using PostureSense.Server.Metrics;
using PostureSense.Storage;

namespace PostureSense.Server.Coaching;

/// <summary>
/// Keeps a <see cref="DeviceCoach"/> per device and turns their decisions into stretch commands
/// (through a <see cref="PromptSender"/>): published to the device, stored as prompts, announced
/// through <see cref="PromptSent"/>.
/// Called from the ingestion loop: several devices at once, each device's messages one at a time.
/// </summary>
/// <param name="settings">Each device's thresholds (its wearer's); read when its coach is made.</param>
/// <param name="sharedIngestion">
/// True when other servers may store this fleet's messages too (a shared subscription): a device
/// new to this server may then have history another one wrote, so every coach reads it back.
/// </param>
public sealed class CoachingService(
    IPostureStore store, ICommandPublisher publisher, IngestionStats stats, TimeProvider clock, ILogger<CoachingService> log,
    bool sharedIngestion = false, ICoachingSettingsSource? settings = null) : IDisposable
{
    readonly Dictionary<DeviceId, DeviceCoach> _coaches = [];
    /// <summary>Devices whose coach was let go: their history is in the store, whatever the store knew at open.</summary>
    readonly LetGoDevices _letGo = new();
    int _held;
    /// <summary>Devices whose coach must be made anew before it sees another frame.</summary>
    readonly System.Collections.Concurrent.ConcurrentDictionary<DeviceId, byte> _stale = new();
    /// <summary>Coaches being restored from the store: a second message of the device waits for the same one.</summary>
    readonly Dictionary<DeviceId, Task<DeviceCoach>> _restoring = [];
    readonly SemaphoreSlim _gate = new(1, 1);

    public void Dispose() => _gate.Dispose();

    readonly PromptSender _sender = new(store, publisher, stats, clock, log);

    /// <summary>Raised after a prompt was published and stored. Handlers must not block.</summary>
    public event Action<DeviceId, DeviceCommand>? PromptSent
    {
        add => _sender.PromptSent += value;
        remove => _sender.PromptSent -= value;
    }

    readonly ICoachingSettingsSource _settings = settings ?? DefaultCoachingSettings.Instance;

    public CoachingSettings SettingsFor(DeviceId deviceId) => _settings.SettingsFor(deviceId);

    /// <summary>Devices with a coach in memory.</summary>
    public int HeldDevices => Volatile.Read(ref _held);

    /// <summary>
    /// The device's settings changed: its coach is let go before its next frames, which make a
    /// new one on the new thresholds, restored from the store (recent frames, last prompts) like
    /// after a restart, so an episode under way is judged anew without a repeated prompt. Returns
    /// at once; the frames after it are coached on the new settings.
    /// </summary>
    public void Reconfigure(DeviceId deviceId)
    {
        _letGo.Add(deviceId);
        _stale[deviceId] = 0;
    }

    /// <summary>The device's coach, created (and restored from the store) on its first message.</summary>
    public async Task<DeviceCoach> CoachForAsync(DeviceId deviceId, CancellationToken cancellationToken)
    {
        Task<DeviceCoach> restoring;
        var mine = false;
        // What the coach being replaced learned of the device's clock: new settings do not change it.
        Core.Time.DeviceClockOffset? clockOffset = null;
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_stale.TryRemove(deviceId, out _) && _coaches.Remove(deviceId, out var replaced))
            {
                clockOffset = replaced.ClockOffset;
                log.LogInformation("Coaching device {DeviceId} on new settings", deviceId);
            }
            if (_coaches.TryGetValue(deviceId, out var coach))
            {
                coach.LastUsedTs = clock.GetUtcNow().ToUnixTimeMilliseconds();
                return coach;
            }
            if (!_restoring.TryGetValue(deviceId, out restoring!))
            {
                // The store is read outside the gate: a fleet coming back after a restart is
                // restored side by side, not one device's history after another's.
                restoring = DeviceCoach.RestoreAsync(deviceId, store, SettingsFor(deviceId), clock, cancellationToken,
                    historyPossible: sharedIngestion || store.HeldBeforeOpen(deviceId) || _letGo.MayContain(deviceId),
                    quietHoursZone: _settings.QuietHoursZoneFor(deviceId));
                _restoring[deviceId] = restoring;
                mine = true;
            }
        }
        finally
        {
            _gate.Release();
        }
        if (!mine) return await restoring.WaitAsync(cancellationToken);

        try
        {
            var coach = await restoring;
            if (clockOffset is not null) coach.ClockOffset = clockOffset;
            await _gate.WaitAsync(CancellationToken.None);
            try
            {
                coach.LastUsedTs = clock.GetUtcNow().ToUnixTimeMilliseconds();
                _coaches[deviceId] = coach;
                Volatile.Write(ref _held, _coaches.Count);
            }
            finally
            {
                _gate.Release();
            }
            log.LogInformation("Coaching device {DeviceId}", deviceId);
            return coach;
        }
        finally
        {
            // Made or failed: the next message finds the coach, or tries again.
            await _gate.WaitAsync(CancellationToken.None);
            _restoring.Remove(deviceId);
            _gate.Release();
        }
    }

    /// <summary>
    /// Lets go of the coaches of devices that sent nothing for <paramref name="idle"/>. What they
    /// knew is in the store (prompts, so cooldowns and the prompted episode; frames): a device that
    /// comes back gets a coach restored from it, as after a restart, and no prompt is repeated.
    /// </summary>
    /// <returns>How many coaches were let go.</returns>
    public async Task<int> EvictAsync(TimeSpan idle, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var before = clock.GetUtcNow().ToUnixTimeMilliseconds() - (long)idle.TotalMilliseconds;
            var idleDevices = _coaches.Where(c => c.Value.LastUsedTs <= before).Select(c => c.Key).ToList();
            foreach (var deviceId in idleDevices)
            {
                _letGo.Add(deviceId);
                _coaches.Remove(deviceId);
            }
            // A coach made anew makes any pending "made anew" moot.
            foreach (var deviceId in _stale.Keys)
                if (!_coaches.ContainsKey(deviceId)) _stale.TryRemove(deviceId, out _);
            // A dictionary keeps the room it once needed: after a crowd has gone, give it back.
            if (_coaches.Count < _coaches.Capacity / 4) _coaches.TrimExcess();
            Volatile.Write(ref _held, _coaches.Count);
            if (idleDevices.Count > 0) log.LogInformation("Let go of {Count} idle devices' coaches", idleDevices.Count);
            return idleDevices.Count;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Feeds frames that were just stored and sends whatever prompt is due.</summary>
    public async Task OnFramesStoredAsync(DeviceId deviceId, IReadOnlyList<PostureFrame> frames, CancellationToken cancellationToken)
    {
        var coach = await CoachForAsync(deviceId, cancellationToken);
        await coach.ObserveAsync(frames, store, cancellationToken);
        await _sender.SendDueAsync(coach, cancellationToken);
    }
}
