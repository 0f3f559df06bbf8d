using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using PostureSense.Core.Contract;
using PostureSense.Core.History;

namespace PostureSense.Server.Alerts;

/// <summary>A single server's reminders: timers on the wearer's clock. A restart forgets them.</summary>
public sealed class InMemorySnoozeReminders(SnoozeReminder reminder, TimeProvider clock, ILogger<InMemorySnoozeReminders> log)
    : ISnoozeReminders, IDisposable
{
    readonly ConcurrentDictionary<(DeviceId DeviceId, string CommandId), ITimer> _reminders = new();

    public Task ScheduleAsync(PromptRecord prompt, TimeSpan after, CancellationToken cancellationToken)
    {
        Cancel(prompt.DeviceId, prompt.CommandId);
        _reminders[(prompt.DeviceId, prompt.CommandId)] = clock.CreateTimer(_ => _ = RemindAsync(prompt), null, after, Timeout.InfiniteTimeSpan);
        return Task.CompletedTask;
    }

    public Task CancelAsync(DeviceId deviceId, string commandId, CancellationToken cancellationToken)
    {
        Cancel(deviceId, commandId);
        return Task.CompletedTask;
    }

    public bool IsPending(DeviceId deviceId, string commandId) => _reminders.ContainsKey((deviceId, commandId));

    async Task RemindAsync(PromptRecord prompt)
    {
        Cancel(prompt.DeviceId, prompt.CommandId);
        try
        {
            await reminder.RemindAsync(prompt);
        }
        catch (Exception ex)
        {
            log.LogError(ex, "Could not send the reminder for prompt {CommandId} of {DeviceId}", prompt.CommandId, prompt.DeviceId);
        }
    }

    void Cancel(DeviceId deviceId, string commandId)
    {
        if (_reminders.TryRemove((deviceId, commandId), out var timer)) timer.Dispose();
    }

    public void Dispose()
    {
        foreach (var timer in _reminders.Values) timer.Dispose();
        _reminders.Clear();
    }
}
