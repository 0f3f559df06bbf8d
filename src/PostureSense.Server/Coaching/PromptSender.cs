using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using PostureSense.Core.Coaching;
using PostureSense.Core.Contract;
using PostureSense.Core.Device;
using PostureSense.Core.Exercises;
using PostureSense.Core.History;
using PostureSense.Storage;

namespace PostureSense.Server.Coaching;

/// <summary>
/// Turns a coach's decisions into stretch commands: published to the device, stored as prompts,
/// announced through <see cref="PromptSent"/>. One piece of code for every owner of a coach (the
/// single server's <see cref="CoachingService"/>, a cluster's device grain), so that whichever
/// decides, a prompt goes out the same way and once per episode.
/// </summary>
/// <param name="clock">The domain clock: a command's time and the prompt's, as the wearer lives them.</param>
public sealed class PromptSender(IPostureStore store, ICommandPublisher publisher, IngestionStats stats, TimeProvider clock, ILogger log)
{
    /// <summary>Raised after a prompt was published and stored. Handlers must not block.</summary>
    public event Action<DeviceId, DeviceCommand>? PromptSent;

    /// <summary>Sends every prompt the coach says is due now; the others are logged with the reason they wait.</summary>
    public async Task SendDueAsync(DeviceCoach coach, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(coach);
        foreach (var decision in coach.Decide())
        {
            if (decision.Decision.ShouldSend)
                await SendAsync(coach, decision, cancellationToken);
            else
                log.LogDebug("No {Reason} prompt for {DeviceId} now: {Verdict} (episode from {Start})",
                    decision.Reason.ToWire(), coach.DeviceId, decision.Decision.Verdict, decision.Episode.StartTs);
        }
    }

    async Task SendAsync(DeviceCoach coach, CoachDecision decision, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var exercise = coach.PickExercise(decision.Reason);
        var pattern = (decision.Reason == PromptReason.Hunch ? VibrationPattern.Double : VibrationPattern.Long).ToWire();
        var command = new DeviceCommand(ContractLimits.Version, NewCommandId(), DeviceCommand.Types.Stretch, now,
            decision.Reason.ToWire(), exercise.Id, pattern);
        try
        {
            await publisher.PublishCommandAsync(coach.DeviceId, command, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Not remembered as sent: the episode is still open, so the next batch tries again.
            stats.Fail(RejectionReasons.CommandFailed, ex.Message, Topics.For(coach.DeviceId, Topics.Command), now);
            log.LogWarning(ex, "Could not send a {Reason} prompt to {DeviceId}; will retry with the next frames", command.Reason, coach.DeviceId);
            return;
        }

        var record = new PromptRecord(coach.DeviceId, command.Id, now, decision.Reason, exercise.Id, pattern, decision.Episode.StartTs);
        coach.Remember(record);
        await store.WritePromptAsync(record, cancellationToken);
        stats.PromptSent();
        log.LogInformation("Sent {Reason} prompt {CommandId} to {DeviceId}: {Exercise}", command.Reason, command.Id, coach.DeviceId, exercise.Id);
        Raise(coach.DeviceId, command);
    }

    void Raise(DeviceId deviceId, DeviceCommand command)
    {
        try
        {
            PromptSent?.Invoke(deviceId, command);
        }
        catch (Exception ex)
        {
            log.LogError(ex, "A PromptSent handler failed");
        }
    }

    /// <summary>"c-" and 10 hex digits: short on the wire, unique enough per device (a trillion values).</summary>
    static string NewCommandId() => "c-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(5));
}
