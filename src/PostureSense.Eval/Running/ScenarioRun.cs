using PostureSense.Agent.Replay;
using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using PostureSense.Agent.Fusion;
using PostureSense.Agent.Nudge;
using PostureSense.Agent.Processing;
using PostureSense.Core.Contract;
using PostureSense.Core.Detection;
using PostureSense.Core.History;
using PostureSense.Core.Posture;
using PostureSense.FirmwareSim.Scenarios;
using PostureSense.FirmwareSim.Sensor;
using PostureSense.Server.Coaching;
using PostureSense.Server.Ingestion;
using PostureSense.Server.Metrics;

namespace PostureSense.Eval.Running;

/// <summary>Everything one scenario's replay produced, before scoring.</summary>
/// <param name="Start">Clock time of the scenario's offset zero.</param>
/// <param name="Episodes">The prolonged episodes the server's detectors found in the telemetry, in order.</param>
/// <param name="Prompts">The stretch prompts the server's coaching sent.</param>
/// <param name="StretchCommands">The command id the eval sent for each of the scenario's stretch sessions, in order.</param>
public sealed record ScenarioOutcome(
    Scenario Scenario,
    DateTimeOffset Start,
    int Frames,
    int FramesRejected,
    IReadOnlyList<PostureRun> Episodes,
    IReadOnlyList<PromptRecord> Prompts,
    IReadOnlyList<NudgeEvent> Nudges,
    IReadOnlyList<ReplayAck> Acks,
    IReadOnlyList<string> StretchCommands,
    int FifoOverflows,
    TimeSpan Elapsed)
{
    /// <summary>Every frame the server accepted, in order: what the detectors saw.</summary>
    public IReadOnlyList<PostureFrame> Telemetry { get; init; } = [];
    /// <summary>What the device's strap watch concluded at the end of walks, and the correction it ended with.</summary>
    public IReadOnlyList<(DateTimeOffset At, StrapSlipVerdict Verdict)> StrapVerdicts { get; init; } = [];
    public double StrapCorrectionDeg { get; init; }

    public TimeSpan OffsetOf(long ts) => DateTimeOffset.FromUnixTimeMilliseconds(ts) - Start;
    public long TsOf(TimeSpan offset) => (Start + offset).ToUnixTimeMilliseconds();
}

/// <summary>
/// Replays one scenario through the real device pipeline (simulated MPU-6050, driver, FIFO sampler,
/// fusion, framing, edge nudge, command handling and stretch watching) and the real server side
/// (telemetry validation, detectors, coaching policy), all on the scenario's event time, offline:
/// no broker, no sockets, no waiting. The MQTT link and the outbox are the only parts left out.
/// </summary>
/// <remarks>
/// The eval plays the wearer's side of a stretch: for each of the scenario's stretch sessions it
/// sends a <c>stretch</c> command for that exercise in the batch just before the wearer reacts
/// (as a prompt from the server would arrive). The coaching's own prompts are recorded and scored,
/// not sent to the device, so which exercise the coach rotates to does not decide what the wearer does.
/// </remarks>
public static class ScenarioRun
{
    public static readonly DeviceId DeviceId = PostureSense.Core.Contract.DeviceId.Parse("eval-1");
    /// <summary>The day every scenario runs on (a Monday); its start time of day comes from the scenario (09:00 if it gives none).</summary>
    public static readonly DateOnly Day = new(2026, 1, 5);

    public static ScenarioOutcome Run(Scenario scenario, ReplayOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        var stopwatch = Stopwatch.StartNew();
        var start = new DateTimeOffset(Day.ToDateTime(scenario.StartTime ?? new TimeOnly(9, 0)), TimeSpan.Zero);
        // Every board is calibrated once, before it is worn (--calibrate-accel), as a deployed one is.
        options = (options ?? new ReplayOptions()) with { Start = start, AccelCorrection = Budget.PitchBudget.SixFace(scenario.Sensor) };

        var clock = new EventClock(start);
        var recorder = new PromptRecorder();
        var coaching = new CoachingService(recorder, recorder, new IngestionStats(), clock, NullLogger<CoachingService>.Instance);
        var monitor = new PostureMonitor(options.Coaching);
        var episodes = new List<PostureRun>();
        var stretchCommands = new List<string>();
        var nextStretch = 0;
        long seq = 0;
        var frames = 0;
        var rejected = 0;
        var telemetry = new List<PostureFrame>();

        IEnumerable<DeviceCommand> Server(DateTimeOffset now, IReadOnlyList<PostureFrame> batch)
        {
            clock.Set(now);
            if (batch.Count > 0)
            {
                // Through the wire format both ways, as the server receives it.
                var payload = WireFormat.Serialize(new TelemetryBatch(ContractLimits.Version, ++seq, batch));
                var parsed = WireFormat.ParseTelemetry(payload, now);
                if (!parsed.Ok) throw new InvalidOperationException($"the server rejected the device's telemetry: {parsed.Error}");
                var valid = parsed.Value!.Batch.Frames;
                frames += valid.Count;
                telemetry.AddRange(valid);
                rejected += parsed.Value.Rejected.Count;
                foreach (var frame in valid) monitor.Observe(frame, started: episodes);
                coaching.OnFramesStoredAsync(DeviceId, valid, CancellationToken.None).GetAwaiter().GetResult();
            }
            var commands = new List<DeviceCommand>();
            while (nextStretch < scenario.Stretches.Count && start + scenario.Stretches[nextStretch].PromptAt < now + options.BatchPeriod)
            {
                var session = scenario.Stretches[nextStretch++];
                var id = $"s-{nextStretch}";
                stretchCommands.Add(id);
                // The reason and pattern change nothing in what the device watches for.
                commands.Add(new DeviceCommand(ContractLimits.Version, id, DeviceCommand.Types.Stretch, now.ToUnixTimeMilliseconds(), "hunch", session.ExerciseId, "double"));
            }
            return commands;
        }

        var replay = OfflineReplay.Run(c => SimulatedMpu6050.ForScenario(scenario, c), scenario.Duration, options with { Server = Server });
        return new ScenarioOutcome(scenario, start, frames, rejected, episodes, recorder.Prompts, replay.Nudges, replay.Acks,
            stretchCommands, replay.FifoOverflows, stopwatch.Elapsed)
        { Telemetry = telemetry, StrapVerdicts = replay.StrapVerdicts, StrapCorrectionDeg = replay.StrapCorrectionDeg };
    }
}
