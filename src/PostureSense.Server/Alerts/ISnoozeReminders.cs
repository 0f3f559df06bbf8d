using PostureSense.Core.Contract;
using PostureSense.Core.History;

namespace PostureSense.Server.Alerts;

/// <summary>
/// Where a snoozed prompt's reminder waits: in this server's memory on a single server
/// (<see cref="InMemorySnoozeReminders"/>), in the cluster's reminder table with several nodes, so
/// that the node the wearer's phone happened to reach may die without the reminder dying with it.
/// </summary>
public interface ISnoozeReminders
{
    /// <summary>Sets (or moves) the reminder of <paramref name="prompt"/> to <paramref name="after"/> from now.</summary>
    Task ScheduleAsync(PromptRecord prompt, TimeSpan after, CancellationToken cancellationToken);

    /// <summary>The stretch was done: no reminder. Nothing happens when none is set.</summary>
    Task CancelAsync(DeviceId deviceId, string commandId, CancellationToken cancellationToken);
}
