using System.Device.I2c;
using Microsoft.Extensions.Logging.Abstractions;
using PostureSense.Agent.Commands;
using PostureSense.Agent.Config;
using PostureSense.Agent.Fusion;
using PostureSense.Agent.Nudge;
using PostureSense.Agent.Processing;
using PostureSense.Agent.Sensors;
using PostureSense.Agent.Sensors.Mpu6050;
using PostureSense.Core.Coaching;
using PostureSense.Core.Contract;
using PostureSense.Core.Device;
using PostureSense.Core.Imu;
using PostureSense.Core.Posture;

namespace PostureSense.Agent.Replay;

/// <summary>How an offline replay runs the pipeline.</summary>
public sealed record ReplayOptions
{
    /// <summary>Clock time at which the sensor is created (a Monday 09:00 UTC by default).</summary>
    public DateTimeOffset Start { get; init; } = new(2026, 1, 5, 9, 0, 0, TimeSpan.Zero);
    public CoachingSettings Coaching { get; init; } = CoachingSettings.Default;
    /// <summary>Calibrate over the first samples, as the agent does at start; null: never.</summary>
    public TimeSpan? CalibrateFor { get; init; } = TimeSpan.FromSeconds(3);
    public int SampleRateHz { get; init; } = 50;
    /// <summary>The board's accelerometer correction, as <c>--calibrate-accel</c> stored it; identity: an uncalibrated board.</summary>
    public Core.Imu.AccelCorrection AccelCorrection { get; init; } = Core.Imu.AccelCorrection.Identity;
    public AccelRange AccelRange { get; init; } = AccelRange.G2;
    public GyroRange GyroRange { get; init; } = GyroRange.Dps250;
    /// <summary>Frames go to <see cref="Server"/> this often, as the agent sends telemetry batches.</summary>
    public TimeSpan BatchPeriod { get; init; } = TimeSpan.FromSeconds(5);
    /// <summary>
    /// Stands in for the link and the server: called every <see cref="BatchPeriod"/> of replay time
    /// with the clock and the frames made since the last call (possibly none); the commands it
    /// returns are handled by the agent's command handler there and then, acks included.
    /// </summary>
    public Func<DateTimeOffset, IReadOnlyList<PostureFrame>, IEnumerable<DeviceCommand>>? Server { get; init; }
}

/// <summary>An ack the agent sent, at the replay clock time it sent it.</summary>
public readonly record struct ReplayAck(DateTimeOffset At, CommandAck Ack);

/// <summary>What the pipeline made of a replay.</summary>
public sealed record ReplayResult(IReadOnlyList<PostureFrame> Frames, IReadOnlyList<NudgeEvent> Nudges, Calibration? Calibration, int FifoOverflows)
{
    /// <summary>Every ack the agent answered the <see cref="ReplayOptions.Server"/>'s commands with, in order.</summary>
    public IReadOnlyList<ReplayAck> Acks { get; init; } = [];
    /// <summary>What the strap watch concluded at the end of walks, with the event time of each.</summary>
    public IReadOnlyList<(DateTimeOffset At, StrapSlipVerdict Verdict)> StrapVerdicts { get; init; } = [];
    /// <summary>The slip correction in force at the end, degrees.</summary>
    public double StrapCorrectionDeg { get; init; }
}

/// <summary>
/// Runs a sensor (normally a simulated MPU-6050) through the real driver, sampler, processor and
/// command handler on a stepped clock, as fast as the CPU allows, with no MQTT: for regression
/// tests and evaluation.
/// </summary>
/// <example><code>
/// var scenario = Scenario.Load("gradual-slouch");
/// var result = OfflineReplay.Run(clock => SimulatedMpu6050.ForScenario(scenario, clock), scenario.Duration);
/// </code></example>
public static class OfflineReplay
{
    public static ReplayResult Run(Func<TimeProvider, I2cDevice> createSensor, TimeSpan duration, ReplayOptions? options = null)
    {
        options ??= new ReplayOptions();
        var clock = new SteppedClock(options.Start);
        using var driver = new Mpu6050Driver(createSensor(clock));
        driver.Initialize(options.AccelRange, options.GyroRange, options.SampleRateHz);

        var processor = new PostureProcessor(options.SampleRateHz, options.Coaching, options.CalibrateFor ?? TimeSpan.FromSeconds(3))
        {
            AccelCorrection = options.AccelCorrection,
        };
        var frames = new List<PostureFrame>();
        var nudges = new List<NudgeEvent>();
        var acks = new List<ReplayAck>();
        processor.FrameReady += frames.Add;
        processor.Nudge += nudges.Add;
        var strap = new List<(DateTimeOffset, StrapSlipVerdict)>();
        processor.StrapSlipJudged += v => strap.Add((clock.GetUtcNow(), v));
        if (options.CalibrateFor is not null) processor.RequestCalibration();
        var commands = new CommandHandler(processor, new SilentMotor(), new ActiveConfig(options.Coaching, clock), clock, options.Coaching.PromptFreshness, NullLogger.Instance);
        Task SendAck(CommandAck ack)
        {
            // A calibrate ack completes off the sampling thread.
            lock (acks) acks.Add(new ReplayAck(clock.GetUtcNow(), ack));
            return Task.CompletedTask;
        }

        var sampler = new ImuSampler(driver, processor.Process, clock);
        sampler.Start();
        var end = clock.GetUtcNow() + duration;
        var nextBatch = clock.GetUtcNow() + options.BatchPeriod;
        var sent = 0;
        while (clock.GetUtcNow() < end)
        {
            clock.Advance(ImuSampler.PollPeriod);
            sampler.Poll();
            if (options.Server is null || clock.GetUtcNow() < nextBatch) continue;
            nextBatch += options.BatchPeriod;
            var batch = frames.GetRange(sent, frames.Count - sent);
            sent = frames.Count;
            foreach (var command in options.Server(clock.GetUtcNow(), batch))
                _ = commands.HandleAsync(command, SendAck, CancellationToken.None);
        }
        processor.Flush();
        ReplayAck[] sentAcks;
        lock (acks) sentAcks = [.. acks];
        return new ReplayResult(frames, nudges, processor.Calibrated ? processor.Calibration : null, sampler.Overflows) { Acks = sentAcks, StrapVerdicts = strap, StrapCorrectionDeg = processor.StrapCorrectionDeg };
    }

    /// <summary>A clock that only moves when told; enough for a sensor that reads the time.</summary>
    sealed class SteppedClock(DateTimeOffset start) : TimeProvider
    {
        DateTimeOffset _now = start;
        public override DateTimeOffset GetUtcNow() => _now;
        public void Advance(TimeSpan by) => _now += by;
    }

    /// <summary>Nothing to feel offline, and nothing to wait for.</summary>
    sealed class SilentMotor : IVibrationMotor
    {
        public ValueTask PlayAsync(VibrationPattern pattern, int strengthPercent, CancellationToken cancellationToken) => ValueTask.CompletedTask;
    }
}
