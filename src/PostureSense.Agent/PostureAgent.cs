using System.Device.I2c;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using PostureSense.Agent.Button;
using PostureSense.Agent.Clock;
using PostureSense.Agent.Commands;
using PostureSense.Agent.Config;
using PostureSense.Agent.Fusion;
using PostureSense.Agent.Hosting;
using PostureSense.Agent.Link;
using PostureSense.Agent.Nudge;
using PostureSense.Agent.Outbox;
using PostureSense.Agent.Processing;
using PostureSense.Agent.Sensors;
using PostureSense.Agent.Sensors.Mpu6050;
using PostureSense.Core.Contract;
using PostureSense.Core.Device;
using PostureSense.Core.Posture;

namespace PostureSense.Agent;

/// <summary>
/// The wearable: samples the IMU, turns it into posture frames, nudges on its own (no network
/// needed), batches telemetry to the broker and obeys commands and its push button. Owns and
/// disposes the sensor.
/// </summary>
public sealed class PostureAgent : IAsyncDisposable
{
    readonly AgentOptions _options;
    readonly IVibrationMotor _motor;
    readonly TimeProvider _clock;
    readonly ILogger _log;
    readonly Mpu6050Driver _driver;
    readonly PostureProcessor _processor;
    readonly SensorSupervisor _sensor;
    readonly TelemetryOutbox _outbox;
    readonly DeviceLink _link;
    readonly CommandHandler _commands;
    readonly ActiveConfig _config;
    readonly LongPressDetector? _button;
    readonly FrameStamper _frames;
    bool _holdingLogged;
    readonly CancellationTokenSource _stop = new();
    readonly List<Task> _loops = [];
    readonly TaskCompletionSource _failure = new(TaskCreationOptions.RunContinuationsAsynchronously);
    long _dropsLogged;
    int _state; // 0 new, 1 started, 2 stopped

    /// <param name="button">
    /// The push button's presses, if it has one: held for 2 s it calibrates (a short buzz to
    /// start, a double one when done); a short press only logs how to use it.
    /// </param>
    /// <param name="clockSync">
    /// Whether <paramref name="clock"/> tells the true time; frames wait for it. Null: trusted as it is.
    /// </param>
    public PostureAgent(AgentOptions options, I2cDevice sensor, IVibrationMotor motor, TimeProvider clock, ILoggerFactory? loggers = null,
        LongPressDetector? button = null, IClockSync? clockSync = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        ArgumentNullException.ThrowIfNull(sensor);
        _options = options;
        _motor = motor ?? throw new ArgumentNullException(nameof(motor));
        _clock = clock ?? throw new ArgumentNullException(nameof(clock));
        loggers ??= NullLoggerFactory.Instance;
        _log = loggers.CreateLogger<PostureAgent>();
        // First, so that an outbox that cannot be opened leaves nothing else half made.
        _outbox = TelemetryOutbox.Open(options.DataDirectory is { } dir ? TelemetryOutbox.FilePath(dir, options.DeviceId) : null, options.OutboxMaxFrames);
        if (_outbox.Count > 0)
            _log.LogInformation("Outbox holds {Count} unsent telemetry batches ({Frames} frames); they go first, seq continues at {Seq}",
                _outbox.Count, _outbox.Frames, _outbox.NextSeq);
        PairingCode = options.PairingCode is { } given ? Core.Device.PairingCode.Format(given)
            : options.DataDirectory is { } kept ? Pairing.PairingCodeFile.LoadOrCreate(kept, options.DeviceId.Value)
            : Core.Device.PairingCode.Generate();
        // The wearer reads it here (or from --show-pairing-code) to claim the device in the dashboard.
        _log.LogInformation("Pairing code of {DeviceId}: {PairingCode} (the wearer claims the device with it)", options.DeviceId, PairingCode);
        _driver = new Mpu6050Driver(sensor);
        _frames = new FrameStamper(clock, clockSync ?? AssumedSynchronized.Instance, options.OutboxMaxFrames);
        _config = new ActiveConfig(options.Coaching, clock);
        if (ConfigPath is { } configPath && ConfigFile.Load(configPath, _log, clock.GetUtcNow()) is { } saved)
        {
            _config.Offer(saved);
            _log.LogInformation("Using the config saved in {Path}: {Config}", configPath, Describe(saved));
        }
        _processor = new PostureProcessor(options.SampleRateHz, _config.Coaching, options.CalibrationDuration) { AccelCorrection = options.AccelCorrection };
        _processor.FrameReady += OnFrame;
        _processor.Nudge += OnNudge;
        _processor.CalibrationCompleted += OnCalibrated;
        _processor.StrapSlipJudged += OnStrapSlipJudged;
        _sensor = new SensorSupervisor(_driver, _processor.Process, _processor.SampleRateHz, clock, options.AccelRange, options.GyroRange, loggers);
        _sensor.HealthChanged += OnSensorHealthChanged;
        _link = new DeviceLink(options, _outbox, CurrentStatus, loggers.CreateLogger<DeviceLink>(), clock: clock);
        _link.BatchPublished += batch => Raise(BatchPublished, batch);
        _link.ConfigReceived += OnConfigReceived;
        _commands = new CommandHandler(_processor, motor, _config, clock, options.Coaching.PromptFreshness, loggers.CreateLogger<CommandHandler>());
        _button = button;
    }

    /// <summary>The device buzzed on its own: event time, and the pitch that caused it.</summary>
    public event Action<DateTimeOffset, double>? Nudged;
    /// <summary>A nudge was due but not played because it fell in quiet hours: its event time.</summary>
    public event Action<DateTimeOffset>? NudgeSilenced;
    /// <summary>A config from the broker was taken into use (raised on the MQTT thread).</summary>
    public event Action<DeviceConfig>? ConfigApplied;
    /// <summary>A valid command arrived.</summary>
    public event Action<DeviceCommand>? CommandReceived;
    /// <summary>An ack was delivered to the broker.</summary>
    public event Action<CommandAck>? AckSent;
    /// <summary>A telemetry batch was acknowledged by the broker.</summary>
    public event Action<TelemetryBatch>? BatchPublished;
    /// <summary>A 1 s frame was produced (before batching).</summary>
    public event Action<PostureFrame>? FrameProduced;
    /// <summary>The sensor's health changed (raised on the sampling thread).</summary>
    public event Action<SensorHealth>? SensorHealthChanged;
    /// <summary>Walks showed the board slipping on the back, and what was done about it (raised on the sampling thread).</summary>
    public event Action<Fusion.StrapSlipVerdict>? StrapSlipJudged;

    public bool Calibrated => _processor.Calibrated;
    public bool IsConnected => _link.IsConnected;
    public AgentOptions Options => _options;

    /// <summary>What the wearer types, with the device id, to claim this device.</summary>
    public string PairingCode { get; }
    /// <summary>The wearer's config in use; null while the agent runs on its own settings.</summary>
    public DeviceConfig? Config => _config.Current;
    /// <summary>Batches in the outbox, waiting for the broker.</summary>
    public int PendingBatches => _outbox.Count;
    /// <summary>How often the sensor's FIFO overflowed because it was drained too late (samples were lost).</summary>
    public int SensorOverflows => _sensor.Overflows;
    /// <summary>How the IMU is; while it is not <see cref="Sensors.SensorHealth.Ok"/> no frames are made.</summary>
    public SensorHealth SensorHealth => _sensor.Health;
    /// <summary>
    /// Fails with a <see cref="LoopFailedException"/> when one of the agent's loops (sampling,
    /// batching, commands) kept failing and was given up on; the agent is then of no use and its
    /// program should stop. Never completes otherwise.
    /// </summary>
    public Task Failure => _failure.Task;

    /// <summary>
    /// Initialises the sensor, starts sampling and calibrating, and connects in the background.
    /// A sensor that is missing or not an MPU-6050 at start is a configuration error: this throws
    /// (<see cref="IOException"/>, <see cref="WrongChipException"/>). Faults after the start are
    /// reported in <see cref="SensorHealth"/> and recovered from without a restart.
    /// </summary>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.CompareExchange(ref _state, 1, 0) != 0) throw new InvalidOperationException("the agent was already started");
        cancellationToken.ThrowIfCancellationRequested();
        _sensor.Start();
        if (CalibrationPath is { } path && CalibrationFile.Load(path, _log) is { } saved)
        {
            _processor.UseCalibration(saved.Calibration, saved.WalkingPitchDeg);
            _log.LogInformation("MPU-6050 ready on {Location}; using the calibration saved in {Path}, {Walking} (send 'calibrate' to redo it)",
                _driver.Location, path, saved.WalkingPitchDeg is { } walking
                    ? $"walking pitch {walking.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture)}°"
                    : "walking pitch not learnt yet");
        }
        else
        {
            _log.LogInformation("MPU-6050 ready on {Location}: ±{Accel}, ±{Gyro}, {Rate} Hz; calibrating for {Duration} s, sit still and upright",
                _driver.Location, _options.AccelRange, _options.GyroRange, _options.SampleRateHz, _options.CalibrationDuration.TotalSeconds);
            _ = _processor.RequestCalibration();
        }
        if (_button is not null)
        {
            _button.LongPressed += OnButtonHeld;
            _button.ShortPressed += OnButtonTapped;
        }
        var stop = _stop.Token;
        Supervise("sampling", SampleLoopAsync, stop);
        Supervise("batching", BatchLoopAsync, stop);
        Supervise("command", CommandLoopAsync, stop);
        _link.Start();
        return Task.CompletedTask;
    }

    void Supervise(string name, Func<CancellationToken, Task> loop, CancellationToken stop)
    {
        var run = Task.Run(() => SupervisedLoop.RunAsync(name, loop, _clock, _log, stop), CancellationToken.None);
        _ = run.ContinueWith(t => _failure.TrySetException(t.Exception!.InnerExceptions), CancellationToken.None,
            TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        _loops.Add(run);
    }

    /// <summary>Learns a new upright from the next seconds of samples; completes when done.</summary>
    public Task RecalibrateAsync() => _processor.RequestCalibration();

    /// <summary>Stops sampling, sends what it can, publishes a retained offline status and disconnects.</summary>
    public async Task StopAsync()
    {
        if (Interlocked.Exchange(ref _state, 2) != 1) return;
        if (_button is not null)
        {
            _button.LongPressed -= OnButtonHeld;
            _button.ShortPressed -= OnButtonTapped;
        }
        _stop.Cancel();
        // A loop that was given up on has said so through Failure already.
        await Task.WhenAll(_loops).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _sensor.Dispose();
        EnqueueFrames();
        await _link.StopAsync(drain: TimeSpan.FromSeconds(3)).ConfigureAwait(false);
        _log.LogInformation("Agent {DeviceId} stopped", _options.DeviceId);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        Interlocked.Exchange(ref _state, 2);
        await _link.DisposeAsync().ConfigureAwait(false);
        _outbox.Dispose();
        _driver.Dispose();
        _stop.Dispose();
    }

    /// <summary>Where the calibration is kept; none without a data directory (the demo, in-process tests).</summary>
    string? CalibrationPath => _options.DataDirectory is { } dir ? CalibrationFile.PathFor(dir, _options.DeviceId) : null;

    /// <summary>Where the last good config is kept, so it applies at start without a network.</summary>
    string? ConfigPath => _options.DataDirectory is { } dir ? ConfigFile.PathFor(dir, _options.DeviceId) : null;

    // A board that moved further than a re-zero covers is no longer calibrated: the status says so,
    // and the dashboard's calibrate page is how the wearer answers.
    DeviceStatus CurrentStatus() => new(ContractLimits.Version, Online: true, _options.FirmwareVersion, _processor.Calibrated && !_processor.RecalibrationAdvised,
        _clock.GetUtcNow().ToUnixTimeMilliseconds(), Sensor: _sensor.Health.ToWire(), ConfigTs: _config.Current?.Ts);

    void OnConfigReceived(DeviceConfig config)
    {
        var inUse = _config.Current;
        switch (_config.Offer(config))
        {
            case ConfigVerdict.Unchanged:
                return;
            case ConfigVerdict.Older:
                _log.LogWarning("Ignored a config from {Ts}: older than the one in use (from {InUse}), which stays",
                    Stamp(config.Ts), Stamp(inUse?.Ts));
                return;
        }
        _processor.NudgeSettings = _config.Coaching;
        _log.LogInformation("Config from {Ts} applied: {Config}", Stamp(config.Ts), Describe(config));
        if (ConfigPath is { } path)
        {
            try { ConfigFile.Save(path, config); }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                _log.LogWarning("Could not save the config to {Path}: {Error}; it applies until the agent stops", path, ex.Message);
            }
        }
        Raise(ConfigApplied, config);
        _ = PublishStatusAsync();
    }

    string Describe(DeviceConfig config)
    {
        var s = config.ToSettings();
        var zone = config.ZoneOr(_clock.LocalTimeZone).Id;
        return $"nudge at {s.NudgePitchDeg:0.#}° after {s.NudgeAfter.TotalSeconds:0} s, quiet hours " +
            (s.QuietStart == s.QuietEnd ? "none" : $"{DeviceConfig.FormatTime(s.QuietStart)}-{DeviceConfig.FormatTime(s.QuietEnd)} ({zone})") +
            $", vibration {config.Strength}%";
    }

    static string Stamp(long? ts) => ts is { } ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms).ToString("u") : "no ts";

    void OnCalibrated(Fusion.Calibration calibration)
    {
        _log.LogInformation("Calibrated: upright reads ({X:0.000}, {Y:0.000}, {Z:0.000}) g, gyro bias ({Bx:0.00}, {By:0.00}, {Bz:0.00}) °/s",
            calibration.UprightUp.X, calibration.UprightUp.Y, calibration.UprightUp.Z,
            calibration.GyroBiasDps.X, calibration.GyroBiasDps.Y, calibration.GyroBiasDps.Z);
        SaveCalibration(calibration, walkingPitchDeg: null);
        _ = PublishStatusAsync();
    }

    // Runs on the processing thread, like everything that changes the calibration, so saves never race.
    void SaveCalibration(Fusion.Calibration calibration, double? walkingPitchDeg)
    {
        if (CalibrationPath is not { } path) return;
        try { CalibrationFile.Save(path, calibration, _clock.GetUtcNow(), walkingPitchDeg); }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            _log.LogWarning("Could not save the calibration to {Path}: {Error}; the next start calibrates again", path, ex.Message);
        }
    }

    void OnStrapSlipJudged(Fusion.StrapSlipVerdict verdict)
    {
        if (verdict.Learnt)
        {
            _log.LogInformation("Walking pitch learnt: {Baseline:0.0}° from the calibrated upright; later walks that read otherwise show the board slipping",
                verdict.BaselineDeg);
            SaveCalibration(_processor.Calibration, verdict.BaselineDeg);
        }
        else if (verdict.AskRecalibration)
            _log.LogWarning("The last {Count} walks read {Off} from the walking pitch after calibration: the board has moved more than {Max}°. " +
                "Correcting {Target:+0.0;-0.0}° for now; please calibrate again (sit upright, then the dashboard's Calibrate, a 'calibrate' command or the button)",
                verdict.OffDeg.Length, Describe(verdict.OffDeg), Fusion.StrapSlipWatch.MaxRezeroDeg, verdict.TargetDeg);
        else
            _log.LogInformation("The last {Count} walks read {Off} from the walking pitch after calibration: the board slipped; re-zeroing pitch by {Target:+0.0;-0.0}° at {Rate}°/min",
                verdict.OffDeg.Length, Describe(verdict.OffDeg), verdict.TargetDeg, Fusion.StrapSlipWatch.RezeroDegPerMinute);
        Raise(StrapSlipJudged, verdict);
        if (verdict.AskRecalibration) _ = PublishStatusAsync();

        static string Describe(double[] offs) => string.Join(", ", offs.Select(o => o.ToString("+0.0;-0.0", System.Globalization.CultureInfo.InvariantCulture) + "°"));
    }

    async Task PublishStatusAsync()
    {
        try { await _link.PublishStatusAsync(_stop.Token).ConfigureAwait(false); }
        catch (Exception ex) { _log.LogDebug(ex, "Status not sent; it goes out on the next connect"); }
    }

    async Task SampleLoopAsync(CancellationToken stop)
    {
        using var timer = new PeriodicTimer(ImuSampler.PollPeriod, _clock);
        // Sensor faults are handled, retried and reported inside; only a bug ends this loop.
        while (await timer.WaitForNextTickAsync(stop).ConfigureAwait(false)) _sensor.Poll();
    }

    async Task BatchLoopAsync(CancellationToken stop)
    {
        using var timer = new PeriodicTimer(_options.BatchPeriod, _clock);
        while (await timer.WaitForNextTickAsync(stop).ConfigureAwait(false)) EnqueueFrames();
    }

    async Task CommandLoopAsync(CancellationToken stop)
    {
        await foreach (var command in _link.Commands.ReadAllAsync(stop).ConfigureAwait(false))
        {
            _log.LogInformation("Command {Id}: {Type} {Reason} {Exercise} {Pattern}", command.Id, command.Type, command.Reason, command.Exercise, command.Pattern);
            Raise(CommandReceived, command);
            // Calibrating takes seconds; a prompt arriving meanwhile should not wait for it.
            var run = _commands.HandleAsync(command, SendAckAsync, stop);
            if (command.Type != DeviceCommand.Types.Calibrate)
            {
                // One command that cannot be carried out costs that command, not every one after it.
                try { await run.ConfigureAwait(false); }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    _log.LogError(ex, "Command {Id} ({Type}) failed; waiting for the next one", command.Id, command.Type);
                }
            }
            else _ = run.ContinueWith(t => _log.LogWarning(t.Exception, "Calibrate {Id} failed", command.Id),
                CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        }
    }

    async Task SendAckAsync(CommandAck ack)
    {
        try
        {
            if (await _link.PublishAckAsync(ack, _stop.Token).ConfigureAwait(false))
            {
                _log.LogInformation("Ack {Id}: {Status}", ack.Id, ack.Status);
                Raise(AckSent, ack);
            }
            else _log.LogWarning("Broker refused ack {Id}", ack.Id);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _log.LogWarning("Ack {Id} ({Status}) not sent: {Error}", ack.Id, ack.Status, ex.Message);
        }
    }

    void OnButtonHeld() => _ = CalibrateByButtonAsync();

    void OnButtonTapped() =>
        _log.LogInformation("Button pressed briefly: nothing to do; hold it for {Seconds:0} s, sitting upright, to calibrate",
            _button!.LongPress.TotalSeconds);

    /// <summary>
    /// The wearer held the button: a short buzz says "sit still and upright now", a double buzz
    /// says the new upright is learned. Played whatever the quiet hours: the wearer asked for it.
    /// </summary>
    async Task CalibrateByButtonAsync()
    {
        _log.LogInformation("Button held: calibrating for {Seconds} s; sit still and upright", _options.CalibrationDuration.TotalSeconds);
        var stop = _stop.Token;
        try
        {
            await _motor.PlayAsync(VibrationPattern.Short, _config.StrengthPercent, stop).ConfigureAwait(false);
            await _processor.RequestCalibration().WaitAsync(stop).ConfigureAwait(false);
            await _motor.PlayAsync(VibrationPattern.Double, _config.StrengthPercent, stop).ConfigureAwait(false);
        }
        catch (OperationCanceledException) { }
        catch (Exception ex) { _log.LogError(ex, "Calibrating from the button failed"); }
    }

    void OnSensorHealthChanged(SensorHealth health)
    {
        Raise(SensorHealthChanged, health);
        _ = PublishStatusAsync();
    }

    void OnFrame(PostureFrame frame)
    {
        _frames.Add(frame);
        Raise(FrameProduced, frame);
    }

    void OnNudge(NudgeEvent nudge)
    {
        var why = nudge.Reminder ? "still, 2 min after the last nudge" : $"for {_config.Coaching.NudgeAfter.TotalSeconds:0} s";
        if (_config.QuietUntil(nudge.At) is { } until)
        {
            _log.LogInformation("Nudge at {At:HH:mm:ss} not played: pitch {Pitch:0.0}° {Why}, but quiet hours last until {Until:HH:mm} ({Zone})",
                nudge.At, nudge.PitchDeg, why, TimeZoneInfo.ConvertTime(until, _config.Zone), _config.Zone.Id);
            Raise(NudgeSilenced, nudge.At);
            return;
        }
        _log.LogInformation("Nudge at {At:HH:mm:ss}: pitch {Pitch:0.0}° {Why}", nudge.At, nudge.PitchDeg, why);
        Raise(Nudged, nudge.At, nudge.PitchDeg);
        // Not awaited: the sampler must keep draining the FIFO while the motor plays.
        _ = PlayNudgeAsync();
    }

    async Task PlayNudgeAsync()
    {
        try { await _motor.PlayAsync(VibrationPattern.Short, _config.StrengthPercent, _stop.Token).ConfigureAwait(false); }
        catch (OperationCanceledException) { }
        catch (Exception ex) { _log.LogError(ex, "Motor failed playing a nudge"); }
    }

    void EnqueueFrames()
    {
        var held = _frames.Held;
        var frames = _frames.TakeReady();
        if (!_frames.Synchronized)
        {
            if (!_holdingLogged) _log.ClockNotSynchronized(held);
            _holdingLogged = true;
            return;
        }
        if (_holdingLogged) _log.ClockSynchronized(frames.Count);
        _holdingLogged = false;
        if (frames.Count == 0) return;
        foreach (var chunk in frames.Chunk(ContractLimits.MaxFramesPerBatch))
        {
            try
            {
                foreach (var (seq, count) in _outbox.Append(chunk, _clock.GetUtcNow()).Dropped)
                {
                    // Offline for days drops a batch every few seconds: say so at first, then every 100th.
                    if (_dropsLogged++ % 100 == 0)
                        _log.OutboxFull(_options.OutboxMaxFrames, seq, count, _outbox.Dropped);
                }
            }
            catch (Exception ex) when (ex is Microsoft.Data.Sqlite.SqliteException or IOException)
            {
                _log.OutboxWriteFailed(chunk.Length, ex.Message);
            }
        }
        _link.Wake();
    }

    void Raise<T>(Action<T>? handler, T value)
    {
        try { handler?.Invoke(value); }
        catch (Exception ex) { _log.LogError(ex, "An event handler failed"); }
    }

    void Raise<T1, T2>(Action<T1, T2>? handler, T1 a, T2 b)
    {
        try { handler?.Invoke(a, b); }
        catch (Exception ex) { _log.LogError(ex, "An event handler failed"); }
    }
}
