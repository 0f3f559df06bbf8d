using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using PostureSense.Accounts;
using PostureSense.Core.Contract;
using PostureSense.Core.History;
using PostureSense.Accounts.Settings;
using PostureSense.Server.Settings;
using PostureSense.Storage;
using PostureSense.Storage.History;

namespace PostureSense.Server.Alerts;

/// <summary>
/// The wearer's answers to a prompt from the phone, stored exactly like a device's ack:
/// "Done" is an ack <c>done</c>; "Snooze" is an ack <c>dismissed</c> plus a reminder on the
/// phone (not the motor) after the wearer's snooze minutes, unless the stretch was done by then.
/// The newest ack is the prompt's outcome, so a snoozed prompt done later counts as done.
/// Pending reminders live in memory: a server restart forgets them.
/// </summary>
public sealed class PromptActions(IPostureStore store, SettingsService settings, AlertDispatcher dispatcher, TimeProvider clock,
    ILogger<PromptActions> log) : IDisposable
{
    /// <summary>How far back a prompt can still be answered.</summary>
    public static readonly TimeSpan AnswerableFor = TimeSpan.FromDays(2);

    readonly ConcurrentDictionary<(DeviceId DeviceId, string CommandId), ITimer> _reminders = new();

    /// <summary>Raised after an answer was stored as an ack. Handlers must not block.</summary>
    public event Action<AckRecord>? Answered;

    /// <summary>Null when the device has no such prompt (recent enough to answer).</summary>
    public async Task<AckRecord?> DoneAsync(DeviceId deviceId, string commandId, CancellationToken cancellationToken = default)
    {
        if (await FindAsync(deviceId, commandId, cancellationToken) is null) return null;
        CancelReminder(deviceId, commandId);
        return await StoreAsync(deviceId, commandId, CommandAck.Statuses.Done, cancellationToken);
    }

    /// <summary>Null when the device has no such prompt; else the ack, the reminder set for the snooze minutes from now.</summary>
    public async Task<AckRecord?> SnoozeAsync(DeviceId deviceId, string commandId, CancellationToken cancellationToken = default)
    {
        if (await FindAsync(deviceId, commandId, cancellationToken) is not { } prompt) return null;
        var ack = await StoreAsync(deviceId, commandId, CommandAck.Statuses.Dismissed, cancellationToken);
        var after = TimeSpan.FromMinutes(settings.ForDevice(deviceId).Alerts.SnoozeMinutes);
        CancelReminder(deviceId, commandId);
        var key = (deviceId, commandId);
        _reminders[key] = clock.CreateTimer(_ => _ = RemindAsync(prompt), null, after, Timeout.InfiniteTimeSpan);
        log.LogInformation("Prompt {CommandId} of {DeviceId} snoozed for {Minutes} min", commandId, deviceId, after.TotalMinutes);
        return ack;
    }

    public bool HasReminder(DeviceId deviceId, string commandId) => _reminders.ContainsKey((deviceId, commandId));

    async Task RemindAsync(PromptRecord prompt)
    {
        CancelReminder(prompt.DeviceId, prompt.CommandId);
        try
        {
            var acks = await store.ReadAcksAsync(prompt.DeviceId, prompt.Ts, clock.GetUtcNow().ToUnixTimeMilliseconds() + 1);
            if (DayReport.Outcomes(acks).GetValueOrDefault(prompt.CommandId) == CommandAck.Statuses.Done) return;
            dispatcher.Announce(PromptAlert.From(prompt, reminder: true));
        }
        catch (Exception ex)
        {
            log.LogError(ex, "Could not send the reminder for prompt {CommandId} of {DeviceId}", prompt.CommandId, prompt.DeviceId);
        }
    }

    async Task<PromptRecord?> FindAsync(DeviceId deviceId, string commandId, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var prompts = await store.ReadPromptsAsync(deviceId, (now - AnswerableFor).ToUnixTimeMilliseconds(),
            (now + TimeSpan.FromMinutes(5)).ToUnixTimeMilliseconds(), cancellationToken);
        return prompts.FirstOrDefault(p => p.CommandId == commandId);
    }

    async Task<AckRecord> StoreAsync(DeviceId deviceId, string commandId, string status, CancellationToken cancellationToken)
    {
        var ack = new AckRecord(deviceId, commandId, status, clock.GetUtcNow().ToUnixTimeMilliseconds());
        await store.WriteAckAsync(ack, cancellationToken);
        log.LogInformation("Wearer answered prompt {CommandId} of {DeviceId}: {Status}", commandId, deviceId, status);
        try { Answered?.Invoke(ack); }
        catch (Exception ex) { log.LogError(ex, "An Answered handler failed"); }
        return ack;
    }

    void CancelReminder(DeviceId deviceId, string commandId)
    {
        if (_reminders.TryRemove((deviceId, commandId), out var timer)) timer.Dispose();
    }

    public void Dispose()
    {
        foreach (var timer in _reminders.Values) timer.Dispose();
        _reminders.Clear();
    }
}
