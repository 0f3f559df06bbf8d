using PostureSense.Core.Contract;
using PostureSense.Core.History;
using PostureSense.Storage;
using PostureSense.Storage.History;

namespace PostureSense.Server.Alerts;

/// <summary>
/// What a due reminder does, wherever it waited: nothing if the stretch was done meanwhile (the
/// newest ack is the prompt's outcome), else the prompt comes back on the wearer's phone, not the motor.
/// </summary>
/// <param name="clock">The wearer's clock, as the acks are stamped.</param>
public sealed class SnoozeReminder(IPostureStore store, IAlertAnnouncer announcer, TimeProvider clock)
{
    /// <summary>How far back a prompt can still be answered.</summary>
    public static readonly TimeSpan AnswerableFor = TimeSpan.FromDays(2);

    /// <summary>The device's prompt of that id, if it is recent enough to answer.</summary>
    public async Task<PromptRecord?> FindPromptAsync(DeviceId deviceId, string commandId, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var prompts = await store.ReadPromptsAsync(deviceId, (now - AnswerableFor).ToUnixTimeMilliseconds(),
            (now + TimeSpan.FromMinutes(5)).ToUnixTimeMilliseconds(), cancellationToken);
        return prompts.FirstOrDefault(p => p.CommandId == commandId);
    }

    /// <summary>Announces the reminder unless the stretch was done; throws when the store cannot say.</summary>
    /// <returns>Whether it was announced.</returns>
    public async Task<bool> RemindAsync(PromptRecord prompt, CancellationToken cancellationToken = default)
    {
        var acks = await store.ReadAcksAsync(prompt.DeviceId, prompt.Ts, clock.GetUtcNow().ToUnixTimeMilliseconds() + 1, cancellationToken);
        if (DayReport.Outcomes(acks).GetValueOrDefault(prompt.CommandId) == CommandAck.Statuses.Done) return false;
        announcer.Announce(PromptAlert.From(prompt, reminder: true));
        return true;
    }
}

/// <summary>Puts an alert on the channels its wearer chose (<see cref="AlertDispatcher"/>).</summary>
public interface IAlertAnnouncer
{
    /// <summary>Must return at once.</summary>
    void Announce(PromptAlert alert);
}
