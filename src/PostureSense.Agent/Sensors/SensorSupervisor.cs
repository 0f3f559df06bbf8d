using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Polly;
using Polly.Retry;
using PostureSense.Agent.Sensors.Mpu6050;
using PostureSense.Core.Imu;

namespace PostureSense.Agent.Sensors;

/// <summary>
/// Keeps the IMU sampling through faults and says how it is (<see cref="Health"/>). Only real
/// samples reach the processor: while the bus fails, the chip is the wrong one or its readings are
/// frozen, the processor gets nothing, so the frames of those seconds do not exist. A failed
/// transfer starts a recovery that is retried with exponential backoff and jitter on the injected
/// clock; it restarts the FIFO, or re-initialises the chip (WHO_AM_I, wake, configuration, FIFO
/// reset) when that is not enough, and re-anchors sample time, because a sensor that was
/// unplugged comes back power-cycled. Call <see cref="Poll"/> from one thread every
/// <see cref="ImuSampler.PollPeriod"/>; while a recovery waits for its next try, polls read nothing.
/// </summary>
public sealed class SensorSupervisor : IDisposable
{
    /// <summary>Consecutive failed polls before the bus counts as failing (one glitch is not a fault).</summary>
    public const int BusErrorAfter = 3;
    /// <summary>How long readings may stay identical, or absent, before the sensor counts as stuck.</summary>
    public static readonly TimeSpan StuckAfter = TimeSpan.FromSeconds(2);
    public static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(5);
    // A poll finds about 10 samples at 50 Hz; none for this long means the chip may have been reset.
    static readonly TimeSpan CheckAfter = TimeSpan.FromSeconds(1);

    readonly Mpu6050Driver _driver;
    readonly TimeProvider _clock;
    readonly ILogger _log;
    readonly AccelRange _accelRange;
    readonly GyroRange _gyroRange;
    readonly int _sampleRateHz;
    readonly StuckGate _gate;
    readonly ImuSampler _sampler;
    readonly ResiliencePipeline _retry;
    readonly CancellationTokenSource _stop = new();
    volatile int _health; // read from other threads
    // Set while a recovery runs or waits for its next try; the retries run on the clock's timer,
    // so the polling thread stays off the bus meanwhile.
    volatile bool _recovering;
    Recovery _recovery;
    int _failures;
    DateTimeOffset _retryAt, _lastSampleAt;

    /// <param name="sink">Where the samples go (the posture processor).</param>
    /// <param name="sampleRateHz">The rate the chip is set to sample at.</param>
    public SensorSupervisor(Mpu6050Driver driver, SampleSink sink, int sampleRateHz, TimeProvider clock,
        AccelRange accelRange = AccelRange.G2, GyroRange gyroRange = GyroRange.Dps250, ILoggerFactory? loggers = null)
    {
        _driver = driver ?? throw new ArgumentNullException(nameof(driver));
        ArgumentNullException.ThrowIfNull(sink);
        _clock = clock ?? throw new ArgumentNullException(nameof(clock));
        loggers ??= NullLoggerFactory.Instance;
        _log = loggers.CreateLogger<SensorSupervisor>();
        _accelRange = accelRange;
        _gyroRange = gyroRange;
        _sampleRateHz = sampleRateHz;
        _gate = new StuckGate(sink, (int)Math.Round(StuckAfter.TotalSeconds * _sampleRateHz));
        _sampler = new ImuSampler(driver, _gate.Add, clock, loggers.CreateLogger<ImuSampler>());
        _retry = new ResiliencePipelineBuilder { TimeProvider = clock }
            .AddRetry(new RetryStrategyOptions
            {
                // A sensor can stay away for hours (unplugged): keep trying, at most MaxBackoff apart.
                MaxRetryAttempts = int.MaxValue,
                BackoffType = DelayBackoffType.Exponential,
                Delay = ImuSampler.PollPeriod,
                MaxDelay = MaxBackoff,
                UseJitter = true,
                ShouldHandle = new PredicateBuilder().Handle<IOException>().Handle<WrongChipException>(),
                OnRetry = args =>
                {
                    Fail(args.Outcome.Exception!, args.RetryDelay);
                    return ValueTask.CompletedTask;
                },
            })
            .Build();
    }

    /// <summary>Raised on the polling thread when <see cref="Health"/> changes.</summary>
    public event Action<SensorHealth>? HealthChanged;

    public SensorHealth Health => (SensorHealth)_health;
    public int Overflows => _sampler.Overflows;
    /// <summary>Times the chip was re-initialised after a fault or a reset.</summary>
    public int Reinitializations { get; private set; }
    /// <summary>Samples dropped because the readings were frozen.</summary>
    public long StuckSamplesDropped => _gate.Dropped;

    /// <summary>
    /// Initialises the chip and starts sampling. Throws when that fails: at start a missing or
    /// wrong chip is a configuration error to report, not to wait out.
    /// </summary>
    /// <exception cref="WrongChipException">The chip is not an MPU-6050.</exception>
    /// <exception cref="IOException">The bus fails.</exception>
    public void Start()
    {
        _driver.Initialize(_accelRange, _gyroRange, _sampleRateHz);
        _sampler.Start();
        _lastSampleAt = _clock.GetUtcNow();
    }

    /// <summary>Drains the FIFO, or retries a recovery when one is due; never throws for a sensor fault.</summary>
    /// <returns>Samples read (including any dropped as stuck).</returns>
    public int Poll()
    {
        if (_recovering) return 0;
        var now = _clock.GetUtcNow();
        if (now < _retryAt) return 0;
        try
        {
            if (_recovery != Recovery.None) Recover();
            var overflowsBefore = _sampler.Overflows;
            var n = _sampler.Poll();
            _failures = 0;
            // An overflowed FIFO is one the chip filled: proof it samples, though this poll keeps
            // nothing. A late poll (a busy machine, a fast clock) must not read as a frozen chip.
            if (n > 0 || _sampler.Overflows != overflowsBefore) _lastSampleAt = now;
            else Check(now);
            Settle(n);
            return n;
        }
        catch (Exception ex) when (ex is IOException or WrongChipException)
        {
            Fail(ex, backoff: null);
            _recovering = true;
            _ = RecoverAsync();
        }
        return 0;
    }

    /// <summary>Ends any recovery in progress; the sensor is not touched again.</summary>
    public void Dispose()
    {
        _stop.Cancel();
        _stop.Dispose();
    }

    async Task RecoverAsync()
    {
        try
        {
            await _retry.ExecuteAsync(static (self, _) =>
            {
                self.Recover();
                return ValueTask.CompletedTask;
            }, this, _stop.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) { }
        catch (ObjectDisposedException) { }
        finally { _recovering = false; }
    }

    void Recover()
    {
        if (_recovery == Recovery.Reinitialize)
        {
            _driver.Initialize(_accelRange, _gyroRange, _sampleRateHz);
            Reinitializations++;
            _log.LogInformation("MPU-6050 on {Location} re-initialised", _driver.Location);
        }
        // Samples may have been lost in a failed transfer: start the FIFO and sample time afresh.
        _sampler.Start();
        _recovery = Recovery.None;
        _lastSampleAt = _clock.GetUtcNow();
        if (Health is SensorHealth.BusError or SensorHealth.WrongChip) SetHealth(_gate.Stuck ? SensorHealth.Stuck : SensorHealth.Ok);
    }

    /// <summary>No samples for a while: a chip that was reset (replugged between polls) is re-initialised.</summary>
    void Check(DateTimeOffset now)
    {
        var silent = now - _lastSampleAt;
        if (silent < CheckAfter) return;
        if (!_driver.IsSampling())
        {
            _log.LogWarning("MPU-6050 on {Location} was reset (power cycle?); re-initialising", _driver.Location);
            _recovery = Recovery.Reinitialize;
        }
        else if (silent >= StuckAfter)
        {
            // Awake and configured but its FIFO stays empty: a frozen chip; a reset may free it.
            SetHealth(SensorHealth.Stuck);
            _recovery = Recovery.Reinitialize;
            _retryAt = now + StuckAfter;
        }
    }

    void Settle(int read)
    {
        if (_gate.Stuck)
        {
            // Once per stuck spell: a reset may unfreeze a real chip.
            if (Health != SensorHealth.Stuck) _recovery = Recovery.Reinitialize;
            SetHealth(SensorHealth.Stuck);
        }
        else if (Health == SensorHealth.Stuck && read > 0) SetHealth(SensorHealth.Ok);
    }

    /// <param name="backoff">When the next try is, if one is already planned; null: right away.</param>
    void Fail(Exception ex, TimeSpan? backoff)
    {
        SensorHealth? health = ex is WrongChipException ? SensorHealth.WrongChip
            : _failures + 1 >= BusErrorAfter || _recovery == Recovery.Reinitialize ? SensorHealth.BusError : null;
        _failures++;
        // One failure restarts the FIFO (its bytes may be torn); a second in a row re-initialises.
        _recovery = health is null && _recovery == Recovery.None ? Recovery.RestartFifo : Recovery.Reinitialize;
        if (health is { } h) SetHealth(h);
        // Say so at first, then every 50th time, not every 200 ms.
        if (_failures % 50 == 1)
            _log.LogWarning("Reading the MPU-6050 failed ({Count} in a row, next try in {Backoff:0.0} s): {Error}",
                _failures, (backoff ?? TimeSpan.Zero).TotalSeconds, ex.Message);
    }

    void SetHealth(SensorHealth health)
    {
        var was = Health;
        if (was == health) return;
        _health = (int)health;
        _log.Log(health == SensorHealth.Ok ? LogLevel.Information : LogLevel.Warning, "MPU-6050 health: {Was} -> {Now}", was.ToWire(), health.ToWire());
        HealthChanged?.Invoke(health);
    }

    enum Recovery { None, RestartFifo, Reinitialize }
}
