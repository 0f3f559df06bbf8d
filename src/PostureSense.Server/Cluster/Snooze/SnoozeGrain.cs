using Microsoft.Extensions.Logging;
using PostureSense.Core.Contract;
using PostureSense.Server.Alerts;

namespace PostureSense.Server.Cluster.Snooze;

/// <summary>One snoozed prompt's reminder, keyed <c>device/commandId</c>.</summary>
public interface ISnoozeGrain : IGrainWithStringKey
{
    Task ScheduleAsync(TimeSpan after);
    Task CancelAsync();
}

/// <summary>
/// A snoozed prompt's reminder as an Orleans reminder: kept in the cluster's reminder table, not in
/// a node's memory, so it fires on a live node even when the node the phone reached has died. The
/// key alone says which prompt; the prompt itself is read from the store when it fires. Until it is
/// announced it fires again every <see cref="RetryEvery"/>, so a store that is briefly away costs a
/// late reminder, not a lost one; one that can no longer come in time is dropped.
/// </summary>
/// <remarks>Orleans measures the wait on the real clock, which a cluster's wearers live on.</remarks>
public sealed partial class SnoozeGrain(SnoozeReminder reminder, ILogger<SnoozeGrain> log) : Grain, ISnoozeGrain, IRemindable
{
    const string Name = "snooze";

    /// <summary>Orleans' shortest period for a reminder.</summary>
    public static readonly TimeSpan RetryEvery = TimeSpan.FromMinutes(1);

    /// <summary>A reminder more than this late would remind of a stretch long past: dropped.</summary>
    public static readonly TimeSpan GiveUpAfter = TimeSpan.FromMinutes(10);

    public static string KeyOf(DeviceId deviceId, string commandId) => $"{deviceId.Value}/{commandId}";

    public async Task ScheduleAsync(TimeSpan after)
    {
        _ = Parse(); // a key that names no prompt is refused before anything is set
        await this.RegisterOrUpdateReminder(Name, after, RetryEvery);
    }

    public Task CancelAsync() => UnregisterAsync();

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        var (deviceId, commandId) = Parse();
        try
        {
            if (await reminder.FindPromptAsync(deviceId, commandId, CancellationToken.None) is { } prompt)
                await reminder.RemindAsync(prompt);
            await UnregisterAsync();
        }
        catch (Exception ex)
        {
            if (status.CurrentTickTime - status.FirstTickTime < GiveUpAfter)
            {
                LogRetry(ex, commandId, deviceId);
                return;
            }
            LogGaveUp(ex, commandId, deviceId);
            await UnregisterAsync();
        }
    }

    async Task UnregisterAsync()
    {
        if (await this.GetReminder(Name) is { } set) await this.UnregisterReminder(set);
        DeactivateOnIdle();
    }

    (DeviceId DeviceId, string CommandId) Parse()
    {
        var key = this.GetPrimaryKeyString();
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || slash == key.Length - 1 || !DeviceId.TryParse(key[..slash], out var deviceId))
            throw new ArgumentException($"'{key}' is not device/commandId");
        return (deviceId, key[(slash + 1)..]);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not send the reminder for prompt {CommandId} of {DeviceId}; tried again in a minute")]
    partial void LogRetry(Exception ex, string commandId, DeviceId deviceId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Gave up on the reminder for prompt {CommandId} of {DeviceId}")]
    partial void LogGaveUp(Exception ex, string commandId, DeviceId deviceId);
}

/// <summary>A cluster's reminders: each in its <see cref="SnoozeGrain"/>.</summary>
public sealed class ClusterSnoozeReminders(IGrainFactory grains) : ISnoozeReminders
{
    public Task ScheduleAsync(Core.History.PromptRecord prompt, TimeSpan after, CancellationToken cancellationToken) =>
        Grain(prompt.DeviceId, prompt.CommandId).ScheduleAsync(after);

    public Task CancelAsync(DeviceId deviceId, string commandId, CancellationToken cancellationToken) =>
        Grain(deviceId, commandId).CancelAsync();

    ISnoozeGrain Grain(DeviceId deviceId, string commandId) => grains.GetGrain<ISnoozeGrain>(SnoozeGrain.KeyOf(deviceId, commandId));
}
