using Microsoft.Extensions.Logging;
using PostureSense.Core.Contract;
using PostureSense.Core.History;
using PostureSense.Server.Settings;
using PostureSense.Storage;

namespace PostureSense.Server.Alerts;

/// <summary>
/// The wearer's answers to a prompt from the phone, stored exactly like a device's ack:
/// "Done" is an ack <c>done</c>; "Snooze" is an ack <c>dismissed</c> plus a reminder on the
/// phone (not the motor) after the wearer's snooze minutes, unless the stretch was done by then.
/// The newest ack is the prompt's outcome, so a snoozed prompt done later counts as done.
/// </summary>
public sealed class PromptActions(IPostureStore store, SettingsService settings, SnoozeReminder reminder, ISnoozeReminders reminders,
    TimeProvider clock, ILogger<PromptActions> log)
{
    /// <summary>How far back a prompt can still be answered.</summary>
    public static TimeSpan AnswerableFor => SnoozeReminder.AnswerableFor;

    /// <summary>Raised after an answer was stored as an ack. Handlers must not block.</summary>
    public event Action<AckRecord>? Answered;

    /// <summary>Null when the device has no such prompt (recent enough to answer).</summary>
    public async Task<AckRecord?> DoneAsync(DeviceId deviceId, string commandId, CancellationToken cancellationToken = default)
    {
        if (await reminder.FindPromptAsync(deviceId, commandId, cancellationToken) is null) return null;
        await reminders.CancelAsync(deviceId, commandId, cancellationToken);
        return await StoreAsync(deviceId, commandId, CommandAck.Statuses.Done, cancellationToken);
    }

    /// <summary>Null when the device has no such prompt; else the ack, the reminder set for the snooze minutes from now.</summary>
    public async Task<AckRecord?> SnoozeAsync(DeviceId deviceId, string commandId, CancellationToken cancellationToken = default)
    {
        if (await reminder.FindPromptAsync(deviceId, commandId, cancellationToken) is not { } prompt) return null;
        var ack = await StoreAsync(deviceId, commandId, CommandAck.Statuses.Dismissed, cancellationToken);
        var after = TimeSpan.FromMinutes(settings.ForDevice(deviceId).Alerts.SnoozeMinutes);
        await reminders.ScheduleAsync(prompt, after, cancellationToken);
        log.LogInformation("Prompt {CommandId} of {DeviceId} snoozed for {Minutes} min", commandId, deviceId, after.TotalMinutes);
        return ack;
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
}
