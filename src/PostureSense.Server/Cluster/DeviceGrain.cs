using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PostureSense.Core.Contract;
using PostureSense.Core.Ordering;
using PostureSense.Server.Coaching;
using PostureSense.Server.Configuration;
using PostureSense.Storage;

namespace PostureSense.Server.Cluster;

/// <summary>
/// A device's coach as a grain: the batches the nodes stored, put back in seq order, feed one
/// <see cref="DeviceCoach"/>, and its prompts go out through the same <see cref="PromptSender"/>
/// as on a single server. Activated on the device's first batch, restored from the store like a
/// coach after a restart, so a grain that moved to another node neither misses nor repeats a prompt.
/// </summary>
/// <param name="domainClock">The wearer's clock (cooldowns, quiet hours, freshness), not the cluster's.</param>
/// <param name="realClock">
/// Real time, as the cluster keeps it: how long a missing batch has been waited for, which the
/// grain timer that ends the wait measures too.
/// </param>
public sealed partial class DeviceGrain(
    IPostureStore store, PromptSender sender, ICoachingSettingsSource settings,
    [FromKeyedServices(PostureClock.Key)] TimeProvider domainClock, TimeProvider realClock,
    IOptions<DeviceGrainOptions> options, ILogger<DeviceGrain> log) : Grain, IDeviceGrain
{
    DeviceId _deviceId;
    DeviceCoach? _coach;
    BatchSequencer _sequencer = null!;
    IGrainTimer? _gapTimer;
    IGrainTimer? _catchUpTimer;
    bool _caughtUp;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _deviceId = DeviceId.Parse(this.GetPrimaryKeyString());
        _sequencer = new BatchSequencer(options.Value.ToSequencerOptions());
        // Any node may have stored this device's frames and prompts: there is always history to read.
        _coach = await DeviceCoach.RestoreAsync(_deviceId, store, settings.SettingsFor(_deviceId), domainClock, cancellationToken,
            historyPossible: true, quietHoursZone: settings.QuietHoursZoneFor(_deviceId));
        LogActivated(_deviceId);
    }

    /// <summary>
    /// Batches still held for a missing seq are coached before the grain goes (its node stopping,
    /// say): they are stored, so a later activation would see them anyway, but a prompt they
    /// complete should not wait for the device's next batch.
    /// </summary>
    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (_coach is null || _sequencer.Held == 0) return;
        try
        {
            await CoachAsync(_sequencer.ReleaseDue(DateTimeOffset.MaxValue), cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Already logged; the frames are stored for whichever activation comes next.
        }
    }

    public async Task OnBatchStoredAsync(TelemetryBatch batch, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batch);
        await CoachAsync(_sequencer.Accept(batch, realClock.GetUtcNow()), cancellationToken);
        ArmGapTimer();
        if (_caughtUp) return;
        // Due once the device's batches have paused: batches still on their way are not yet in the store.
        var quiet = options.Value.MaxGapWait;
        if (_catchUpTimer is null) _catchUpTimer = this.RegisterGrainTimer(CatchUpAsync, quiet, Timeout.InfiniteTimeSpan);
        else _catchUpTimer.Change(quiet, Timeout.InfiniteTimeSpan);
    }

    /// <summary>
    /// Once per activation, when the device's batches first pause: frames the store holds beyond
    /// what was coached are coached too. While the node that held this grain was dead but not yet
    /// declared so, the other nodes stored the device's batches but could not hand them over; the
    /// grain made again elsewhere would otherwise never see them, and a prompt they complete would
    /// wait for a next batch that a device gone quiet never sends. The coach is made again from the
    /// store, as for late frames, so it judges them with everything before them and prompts nothing twice.
    /// </summary>
    async Task CatchUpAsync(CancellationToken cancellationToken)
    {
        // Disposed only on the way out: disposing a timer cancels the token its callback was given.
        using var timer = _catchUpTimer;
        _catchUpTimer = null;
        _caughtUp = true;
        if (_coach?.NewestTs is not { } newest) return;
        var until = domainClock.GetUtcNow() + ContractLimits.MaxFutureSkew;
        var unseen = await store.ReadFramesAsync(_deviceId, newest + 1, until.ToUnixTimeMilliseconds(), cancellationToken);
        if (unseen.Count == 0) return;
        var fresh = await DeviceCoach.RestoreAsync(_deviceId, store, settings.SettingsFor(_deviceId), domainClock, cancellationToken,
            historyPossible: true, quietHoursZone: settings.QuietHoursZoneFor(_deviceId));
        // Its warm-up reads what came before them from the store, the coached frames included.
        await fresh.ObserveAsync(unseen, store, cancellationToken);
        fresh.Unsent = _coach.Unsent;
        fresh.ClockOffset = _coach.ClockOffset;
        _coach = fresh;
        LogCaughtUp(_deviceId, unseen.Count);
        await sender.SendDueAsync(fresh, cancellationToken);
    }

    public async Task ReloadSettingsAsync(CancellationToken cancellationToken = default)
    {
        await settings.RefreshAsync(_deviceId, cancellationToken);
        if (_coach is not { } coach) return;
        // Rebuilt as after late frames: the store's history and prompts, now judged on the new settings.
        _coach = await RewarmAsync(coach, cancellationToken) ?? await RestoreWithAsync(coach, cancellationToken);
        LogSettingsReloaded(_deviceId);
    }

    /// <summary>A coach with no frames yet has nothing to re-warm: made again from the store, its unsent prompts kept.</summary>
    async Task<DeviceCoach> RestoreWithAsync(DeviceCoach coach, CancellationToken cancellationToken)
    {
        var fresh = await DeviceCoach.RestoreAsync(_deviceId, store, settings.SettingsFor(_deviceId), domainClock, cancellationToken,
            historyPossible: true, quietHoursZone: settings.QuietHoursZoneFor(_deviceId));
        fresh.Unsent = coach.Unsent;
        fresh.ClockOffset = coach.ClockOffset;
        return fresh;
    }

    /// <summary>The gap timer: the missing seqs are given up on, and what waited behind them is coached.</summary>
    async Task ReleaseOverdueAsync(CancellationToken cancellationToken)
    {
        var released = _sequencer.ReleaseDue(realClock.GetUtcNow());
        if (released.Count > 0) LogGapGivenUp(_deviceId, released.Count);
        await CoachAsync(released, cancellationToken);
        ArmGapTimer();
    }

    async Task CoachAsync(IReadOnlyList<SequencedBatch> released, CancellationToken cancellationToken)
    {
        var coach = _coach ?? throw new InvalidOperationException("The device grain was not activated.");
        try
        {
            var behind = false;
            foreach (var sequenced in released)
            {
                var (batch, late) = sequenced;
                if (late)
                {
                    LogLate(_deviceId, batch.Seq);
                    behind |= coach.NewestTs is { } newest && batch.Frames.Count > 0 && batch.Frames[0].Ts < newest
                        && batch.Frames[^1].Ts >= newest - (long)DeviceCoach.WarmUpFor(coach.Settings).TotalMilliseconds;
                }
                else if (sequenced.AfterGap) await FillGapFromStoreAsync(coach, batch, cancellationToken);
                await coach.ObserveAsync(batch.Frames, store, cancellationToken);
                // Decided after each batch, as a single server does, so the prompts are the same as in order.
                await sender.SendDueAsync(coach, cancellationToken);
            }
            if (behind && await RewarmAsync(coach, cancellationToken) is { } rewarmed)
            {
                _coach = rewarmed;
                await sender.SendDueAsync(rewarmed, cancellationToken);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The sequencer counts these batches as released, so a redelivery would not bring them
            // back. They are stored: a new activation restores the coach from the store and sees them.
            LogCoachingFailed(ex, _deviceId);
            DeactivateOnIdle();
            throw;
        }
    }

    /// <summary>
    /// The grain stopped waiting for the batches before <paramref name="next"/>. Some may be stored
    /// already: a node stores a batch before it hands it on, and a handoff fails while the node that
    /// held this grain is dead but not yet declared so. Coached in order before <paramref name="next"/>,
    /// so the hole they would leave (longer than a hunch's 30 s reset) does not cut the episode short.
    /// Those not stored yet come late, and the coach is made again for them then.
    /// </summary>
    async Task FillGapFromStoreAsync(DeviceCoach coach, TelemetryBatch next, CancellationToken cancellationToken)
    {
        if (coach.NewestTs is not { } newest || next.Frames.Count == 0 || next.Frames[0].Ts <= newest + 1) return;
        var stored = await store.ReadFramesAsync(_deviceId, newest + 1, next.Frames[0].Ts, cancellationToken);
        if (stored.Count == 0) return;
        LogGapFilled(_deviceId, stored.Count);
        await coach.ObserveAsync(stored, store, cancellationToken);
        await sender.SendDueAsync(coach, cancellationToken);
    }

    /// <summary>
    /// Late frames fell inside what the coach has already judged, and the detectors only go
    /// forward: without them the hole they left may have ended an episode (a 30 s correction, a
    /// sitting bout's gap). The coach is made again from the store, which holds them now, so the
    /// episode is judged whole; its prompts are read back too, so nothing is prompted twice.
    /// </summary>
    /// <returns>The new coach; null when the store has not the newest frame (it is then left as it was).</returns>
    async Task<DeviceCoach?> RewarmAsync(DeviceCoach coach, CancellationToken cancellationToken)
    {
        if (coach.NewestTs is not { } newest) return null;
        var latest = await store.ReadFramesAsync(_deviceId, newest, newest + 1, cancellationToken);
        if (latest.Count == 0) return null;
        var fresh = await DeviceCoach.RestoreAsync(_deviceId, store, settings.SettingsFor(_deviceId), domainClock, cancellationToken,
            historyPossible: true, quietHoursZone: settings.QuietHoursZoneFor(_deviceId));
        // Its warm-up reads everything before the newest frame, the late frames included.
        await fresh.ObserveAsync(latest, store, cancellationToken);
        fresh.Unsent = coach.Unsent;
        fresh.ClockOffset = coach.ClockOffset;
        LogRewarmed(_deviceId);
        return fresh;
    }

    /// <summary>One timer per device, due when the oldest held batch has waited long enough.</summary>
    void ArmGapTimer()
    {
        if (_sequencer.NextDeadline is not { } deadline)
        {
            _gapTimer?.Dispose();
            _gapTimer = null;
            return;
        }
        var due = deadline - realClock.GetUtcNow();
        if (due < TimeSpan.Zero) due = TimeSpan.Zero;
        if (_gapTimer is null) _gapTimer = this.RegisterGrainTimer(ReleaseOverdueAsync, due, Timeout.InfiniteTimeSpan);
        else _gapTimer.Change(due, Timeout.InfiniteTimeSpan);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Coaching device {DeviceId} in the cluster")]
    partial void LogActivated(DeviceId deviceId);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Batch {Seq} of {DeviceId} came after its place in the order; coached for what is new in it")]
    partial void LogLate(DeviceId deviceId, long seq);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Late frames of {DeviceId} fell inside what was coached; its coach was made again from the store")]
    partial void LogRewarmed(DeviceId deviceId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Settings of {DeviceId} changed; its coach was made again on them")]
    partial void LogSettingsReloaded(DeviceId deviceId);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Stopped waiting for a missing batch of {DeviceId}; {Count} batches go on without it")]
    partial void LogGapGivenUp(DeviceId deviceId, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Device {DeviceId}: {Count} stored frames of batches it stopped waiting for were coached from the store")]
    partial void LogGapFilled(DeviceId deviceId, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Device {DeviceId}: {Count} stored frames had not reached its grain; coached from the store")]
    partial void LogCaughtUp(DeviceId deviceId, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Coaching {DeviceId} failed; its grain restarts from the store")]
    partial void LogCoachingFailed(Exception ex, DeviceId deviceId);
}
