using Microsoft.Extensions.Logging;
using PostureSense.Agent.Config;
using PostureSense.Agent.Exercises;
using PostureSense.Agent.Processing;
using PostureSense.Core.Contract;
using PostureSense.Core.Device;

namespace PostureSense.Agent.Commands;

/// <summary>
/// What the agent does with a valid command, and the ack it answers. Stretch and vibrate buzz
/// and answer <c>received</c> (or <c>dismissed</c> when the command is too old to be about the
/// wearer now); calibrate answers <c>done</c> once the new upright is learned. A stretch the
/// device can count (Cat-Cow, Thread the Needle, Superman) is then watched, and answered again
/// when it is over: <c>done</c> with the reps and holds counted, or <c>dismissed</c> when nothing
/// was done. Prompts play in quiet hours too, at the configured strength: the server already
/// keeps its prompts out of quiet hours, so one that arrives was meant to be felt (a
/// <c>vibrate</c> sent by hand, say).
/// </summary>
internal sealed class CommandHandler(
    PostureProcessor processor, IVibrationMotor motor, ActiveConfig config, TimeProvider clock, TimeSpan freshness, ILogger log)
{
    /// <summary>Commands remembered by id: the broker may deliver a command again (QoS 1), and a wearer must not feel it twice.</summary>
    const int Remembered = 64;

    readonly StretchWatch _stretches = new(processor);
    readonly HashSet<string> _seen = [];
    readonly Queue<string> _seenOrder = new();

    /// <summary>Runs one command, sending its ack through <paramref name="sendAck"/> when it is due; returns the ack.</summary>
    public async Task<CommandAck> HandleAsync(DeviceCommand command, Func<CommandAck, Task> sendAck, CancellationToken cancellationToken)
    {
        if (!Remember(command.Id))
        {
            // Answered again (the first ack may be what was lost), but not played or run again.
            log.LogInformation("Command {Id} ({Type}) came again: acknowledged, not repeated", command.Id, command.Type);
            return await Answer(command, CommandAck.Statuses.Received, sendAck);
        }
        switch (command.Type)
        {
            case DeviceCommand.Types.Stretch or DeviceCommand.Types.Vibrate:
            {
                var age = clock.GetUtcNow() - DateTimeOffset.FromUnixTimeMilliseconds(command.Ts);
                if (age > freshness)
                {
                    log.LogInformation("Command {Id} ({Type}) is {Age} old: dismissed without a buzz", command.Id, command.Type, age);
                    return await Answer(command, CommandAck.Statuses.Dismissed, sendAck);
                }
                _ = VibrationPatterns.TryParse(command.Pattern, out var pattern); // ParseCommand checked it
                var ack = await Answer(command, CommandAck.Statuses.Received, sendAck);
                if (command.Type == DeviceCommand.Types.Stretch && StretchWatch.CanCount(command.Exercise))
                    _stretches.Begin(command.Id, command.Exercise!, clock.GetUtcNow(), result => _ = AnswerStretchAsync(result, sendAck));
                try
                {
                    await motor.PlayAsync(pattern, config.StrengthPercent, cancellationToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    log.LogError(ex, "Motor failed playing '{Pattern}' for command {Id}", command.Pattern, command.Id);
                }
                return ack;
            }
            case DeviceCommand.Types.Calibrate:
                log.LogInformation("Command {Id}: calibrating; the wearer should sit still and upright", command.Id);
                await processor.RequestCalibration().WaitAsync(cancellationToken);
                return await Answer(command, CommandAck.Statuses.Done, sendAck);
            default:
                throw new InvalidOperationException($"command type '{command.Type}' passed validation but has no handler");
        }
    }

    /// <summary>The second ack of a watched stretch; runs off the sampling thread's back.</summary>
    /// <summary>False when the id was seen among the last <see cref="Remembered"/> commands.</summary>
    bool Remember(string id)
    {
        lock (_seen)
        {
            if (!_seen.Add(id)) return false;
            _seenOrder.Enqueue(id);
            if (_seenOrder.Count > Remembered) _seen.Remove(_seenOrder.Dequeue());
            return true;
        }
    }

    async Task AnswerStretchAsync(StretchResult result, Func<CommandAck, Task> sendAck)
    {
        var status = result.Done ? CommandAck.Statuses.Done : CommandAck.Statuses.Dismissed;
        log.LogInformation("Stretch {Id} ({Exercise}) {Outcome}: {Reps} reps, holds {Holds} s", result.CommandId, result.ExerciseId,
            result.Done ? "done" : result.TimedOut ? "not started in time" : "not done",
            result.Count.Reps, string.Join(", ", result.Count.HoldsS ?? []));
        try
        {
            // Within the contract's bounds, whatever the wearer did: the server rejects an ack beyond them.
            var reps = result.Count.Reps is { } r ? Math.Min(r, ContractLimits.MaxAckReps) : (int?)null;
            var holds = result.Count.HoldsS?.Take(ContractLimits.MaxAckHolds).Select(h => Math.Min(h, ContractLimits.MaxAckHoldSeconds)).ToArray();
            await sendAck(new CommandAck(ContractLimits.Version, result.CommandId, status, clock.GetUtcNow().ToUnixTimeMilliseconds(),
                result.ExerciseId, reps, holds));
        }
        catch (Exception ex)
        {
            log.LogWarning("Stretch ack {Id} not sent: {Error}", result.CommandId, ex.Message);
        }
    }

    async Task<CommandAck> Answer(DeviceCommand command, string status, Func<CommandAck, Task> sendAck)
    {
        var ack = new CommandAck(ContractLimits.Version, command.Id, status, clock.GetUtcNow().ToUnixTimeMilliseconds());
        await sendAck(ack);
        return ack;
    }
}
