using System.Numerics;
using PostureSense.Agent.Exercises;
using PostureSense.Agent.Framing;
using PostureSense.Agent.Fusion;
using PostureSense.Agent.Nudge;
using PostureSense.Agent.Sensors.Mpu6050;
using PostureSense.Core.Coaching;
using PostureSense.Core.Imu;
using PostureSense.Core.Posture;

namespace PostureSense.Agent.Processing;

/// <summary>
/// The agent's whole on-device pipeline without I/O: timed IMU samples in; calibration,
/// gravity fusion, 1 s frames and edge-nudge decisions out. Single-threaded: call
/// <see cref="Process"/> from one thread; <see cref="RequestCalibration"/> may come from any.
/// The per-sample path allocates nothing.
/// </summary>
public sealed class PostureProcessor
{
    readonly int _sampleRateHz;
    readonly int _calibrationSamples;
    readonly GravityFilter _filter;
    readonly FrameBuilder _frames;
    readonly StepDetector _steps = new();
    readonly NudgeRule _nudge;
    readonly OneGReference _oneG;
    readonly TwistEstimator _twist;
    readonly StrapSlipWatch _strap = new();
    Calibration _calibration = Calibration.None;
    CalibrationAccumulator? _calibrating;
    TaskCompletionSource<Calibration>? _pending;
    TaskCompletionSource<Calibration>? _requested;

    // Sitting still reads 0.00-0.02 g of motion; the twist's gyro offset is learnt only then.
    const float StillMotionG = 0.03f;

    public PostureProcessor(int sampleRateHz, CoachingSettings? coaching = null, TimeSpan? calibrationDuration = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(sampleRateHz, 1);
        _sampleRateHz = sampleRateHz;
        _calibrationSamples = Math.Max(1, (int)Math.Round((calibrationDuration ?? TimeSpan.FromSeconds(3)).TotalSeconds * sampleRateHz));
        _filter = new GravityFilter(sampleRateHz);
        _frames = new FrameBuilder(1000 / sampleRateHz);
        _nudge = new NudgeRule(coaching ?? CoachingSettings.Default);
        _oneG = new OneGReference(sampleRateHz);
        _twist = new TwistEstimator(sampleRateHz);
    }

    /// <summary>A 1 s frame is complete (raised on the thread calling <see cref="Process"/>).</summary>
    public event Action<PostureFrame>? FrameReady;
    /// <summary>The wearer should be nudged.</summary>
    public event Action<NudgeEvent>? Nudge;
    /// <summary>Every sample's trunk angles (the stretch counters need more than 1 s frames), on the thread calling <see cref="Process"/>.</summary>
    public event Action<TrunkSample>? TrunkSampled;
    /// <summary>The strap watch changed its mind at the end of a walk (a re-zero, or a board that moved too far), on the thread calling <see cref="Process"/>.</summary>
    public event Action<StrapSlipVerdict>? StrapSlipJudged;
    /// <summary>A calibration finished; angles are now relative to this upright.</summary>
    public event Action<Calibration>? CalibrationCompleted;

    /// <summary>The board's accelerometer offset and scale, taken out of every sample before anything else; set before the first sample.</summary>
    public AccelCorrection AccelCorrection { get; set; } = AccelCorrection.Identity;

    /// <summary>The edge nudge's thresholds; settable from any thread, used from the next frame.</summary>
    public CoachingSettings NudgeSettings
    {
        get => _nudge.Settings;
        set => _nudge.Settings = value;
    }

    public bool Calibrated { get; private set; }
    public bool Calibrating => _calibrating is not null;
    public Calibration Calibration => _calibration;
    public int SampleRateHz => _sampleRateHz;
    /// <summary>The trunk's estimated twist about its long axis, degrees, positive to the left.</summary>
    public double TwistDeg => _twist.TwistDeg;
    /// <summary>How much board slip is taken out of the pitch now, degrees (positive: it slipped forward).</summary>
    public double StrapCorrectionDeg => _strap.AppliedDeg;
    /// <summary>Walks say the board moved further than a correction covers since the last calibration.</summary>
    public bool RecalibrationAdvised => _strap.RecalibrationAdvised;

    /// <summary>
    /// Averages the next samples (the calibration duration's worth) as the wearer's upright.
    /// The task completes when that is done; a request during a calibration joins it.
    /// </summary>
    public Task<Calibration> RequestCalibration()
    {
        var fresh = new TaskCompletionSource<Calibration>(TaskCreationOptions.RunContinuationsAsynchronously);
        var existing = Interlocked.CompareExchange(ref _requested, fresh, null);
        return (existing ?? fresh).Task;
    }

    /// <summary>One sample taken at <paramref name="at"/>; samples must come in time order.</summary>
    public void Process(in ImuSample sample, DateTimeOffset at)
    {
        var accel = _oneG.Normalize(AccelCorrection.Apply(sample.AccelG), sample.GyroDps - _filter.GyroBiasDps);
        if (_calibrating is null && Volatile.Read(ref _requested) is not null)
        {
            _pending = Interlocked.Exchange(ref _requested, null);
            _calibrating = new CalibrationAccumulator(_calibrationSamples);
        }
        if (_calibrating is not null && _calibrating.Add(accel, sample.GyroDps))
            FinishCalibration();

        _filter.Update(accel, sample.GyroDps);
        var up = _filter.Up;
        var upInTrunk = StrapSlipWatch.Rezero(_calibration.ToTrunk(up), _strap.AppliedDeg);
        var (pitch, roll) = TrunkTilt.FromUp(upInTrunk);
        // Specific force along "up" is 1 g plus the body's own vertical acceleration.
        var alongUp = Vector3.Dot(accel, up);
        TrunkSampled?.Invoke(new TrunkSample(at.UtcTicks, pitch, roll, alongUp - 1));
        var motion = (accel - up).Length();
        var step = _steps.Update(alongUp, at.UtcTicks);
        _twist.Update(sample.GyroDps - _filter.GyroBiasDps, _calibration.UprightUp, motion < StillMotionG, step);
        var flexion = TwistedFlexion.Degrees(upInTrunk, _twist.TwistDeg);

        if (_frames.Add(at.ToUnixTimeMilliseconds(), pitch, roll, motion, step, flexion) is { } frame)
            Emit(frame);
    }

    /// <summary>Emits the open frame, e.g. at the end of a replay.</summary>
    public void Flush()
    {
        if (_frames.Flush() is { } frame) Emit(frame);
    }

    void Emit(PostureFrame frame)
    {
        FrameReady?.Invoke(frame);
        if (_nudge.Observe(frame) is { } nudge) Nudge?.Invoke(nudge);
        if (Calibrated && _strap.Observe(frame) is { } verdict) StrapSlipJudged?.Invoke(verdict);
    }

    /// <summary>
    /// Uses a calibration saved earlier (the same wearer and mounting), so a restart needs no
    /// sitting still. Call before the first sample. <paramref name="walkingPitchDeg"/> is the walking
    /// pitch learnt with it, if any, so a slip can be told from the first walks after the restart.
    /// </summary>
    public void UseCalibration(Calibration calibration, double? walkingPitchDeg = null)
    {
        _calibration = calibration;
        _filter.GyroBiasDps = calibration.GyroBiasDps;
        _filter.Reset(calibration.UprightUp);
        _twist.Reset();
        if (walkingPitchDeg is { } walking) _strap.RestoreBaseline(walking);
        else _strap.Reset();
        Calibrated = true;
    }

    void FinishCalibration()
    {
        _calibration = _calibrating!.Result();
        _calibrating = null;
        _filter.GyroBiasDps = _calibration.GyroBiasDps;
        _filter.Reset(_calibration.UprightUp);
        // Calibrating is sitting upright facing forward: the twist starts from zero.
        _twist.Reset();
        // A new upright is where the board sits now: the slip is learnt afresh from here.
        _strap.Reset();
        Calibrated = true;
        _pending?.TrySetResult(_calibration);
        _pending = null;
        CalibrationCompleted?.Invoke(_calibration);
    }
}
