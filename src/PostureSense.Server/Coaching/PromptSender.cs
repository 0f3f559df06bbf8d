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
/// Turns a coach's decisions into stretch commands: stored as prompts, published to the device,
/// announced through <see cref="PromptSent"/>. One piece of code for every owner of a coach (the
/// single server's <see cref="CoachingService"/>, a cluster's device grain), so that whichever
/// decides, a prompt goes out the same way and once per episode.
/// A prompt is stored before it is published: a coach made again from the store (a restart, a
/// device grain that moved to another node, late frames) then knows the episode was prompted, and
/// cannot send it a second command. A publish that fails or does not answer within
/// <see cref="PublishTimeout"/> is tried again with the next frames as the same command, which the
/// device plays once however often it arrives; after <see cref="ResendWindow"/> it is dropped, as a
/// stretch prompt that late would be a false buzz.
/// </summary>
/// <param name="clock">The domain clock: a command's time and the prompt's, as the wearer lives them.</param>
/// <param name="realClock">Times the publish timeout; real time unless a test says otherwise.</param>
public sealed class PromptSender(IPostureStore store, ICommandPublisher publisher, IngestionStats stats, TimeProvider clock, ILogger log,
    TimeProvider? realClock = null)
{
    /// <summary>How long a publish may wait for the broker's acknowledgement (real time, as sockets run).</summary>
    public static readonly TimeSpan PublishTimeout = TimeSpan.FromSeconds(10);

    /// <summary>How long after its decision a command that did not get through is still worth sending (domain clock).</summary>
    public static readonly TimeSpan ResendWindow = TimeSpan.FromMinutes(2);

    /// <summary>Raised after a prompt was stored and published. Handlers must not block.</summary>
    public event Action<DeviceId, DeviceCommand>? PromptSent;

    /// <summary>
    /// Sends again a command that did not get through, then every prompt the coach says is due now;
    /// the others are logged with the reason they wait.
    /// </summary>
    public async Task SendDueAsync(DeviceCoach coach, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(coach);
        await ResendAsync(coach, cancellationToken);
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
        var record = new PromptRecord(coach.DeviceId, command.Id, now, decision.Reason, exercise.Id, pattern, decision.Episode.StartTs);
        await store.WritePromptAsync(record, cancellationToken);
        coach.Remember(record);
        await PublishAsync(coach, command, cancellationToken);
    }

    async Task ResendAsync(DeviceCoach coach, CancellationToken cancellationToken)
    {
        if (coach.Unsent is not { } command) return;
        var age = clock.GetUtcNow().ToUnixTimeMilliseconds() - command.Ts;
        if (age > ResendWindow.TotalMilliseconds)
        {
            coach.Unsent = null;
            log.LogWarning("Gave up on {Reason} prompt {CommandId} for {DeviceId}: not delivered within {Window}",
                command.Reason, command.Id, coach.DeviceId, ResendWindow);
            return;
        }
        await PublishAsync(coach, command, cancellationToken);
    }

    async Task PublishAsync(DeviceCoach coach, DeviceCommand command, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(PublishTimeout, realClock ?? TimeProvider.System);
        using var publishing = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            await publisher.PublishCommandAsync(coach.DeviceId, command, publishing.Token);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            // It may still have reached the broker: the same command goes again, never a new one.
            coach.Unsent = command;
            var error = ex is OperationCanceledException ? $"no answer from the broker within {PublishTimeout.TotalSeconds:0} s" : ex.Message;
            stats.Fail(RejectionReasons.CommandFailed, error, Topics.For(coach.DeviceId, Topics.Command), clock.GetUtcNow().ToUnixTimeMilliseconds());
            log.LogWarning("Could not send {Reason} prompt {CommandId} to {DeviceId} ({Error}); it goes again with the next frames",
                command.Reason, command.Id, coach.DeviceId, error);
            return;
        }
        coach.Unsent = null;
        stats.PromptSent();
        log.LogInformation("Sent {Reason} prompt {CommandId} to {DeviceId}: {Exercise}", command.Reason, command.Id, coach.DeviceId, command.Exercise);
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
