using PostureSense.Agent.Sensors.Mpu6050;

namespace PostureSense.Agent.Sensors;

/// <summary>
/// Passes samples on unless the sensor has frozen. A working MPU-6050 always has noise, so a run
/// of bit-identical accel and gyro readings as long as <c>stuckSamples</c> means the sensing has
/// stopped: those samples are dropped, and so is every repeat after them, until a reading
/// differs. Repeats are held back until the run is known to be short, so a frozen stretch never
/// reaches the frames; a run shorter than the limit cannot be told from luck and is passed on.
/// </summary>
public sealed class StuckGate(SampleSink sink, int stuckSamples)
{
    readonly List<(ImuSample Sample, DateTimeOffset At)> _held = new(stuckSamples);
    ImuSample _last;
    bool _any;

    /// <summary>The readings have been frozen for the limit and are being dropped.</summary>
    public bool Stuck { get; private set; }
    /// <summary>Samples dropped as stuck since start.</summary>
    public long Dropped { get; private set; }

    public void Add(in ImuSample sample, DateTimeOffset at)
    {
        if (_any && sample.AccelG == _last.AccelG && sample.GyroDps == _last.GyroDps)
        {
            if (Stuck) { Dropped++; return; }
            _held.Add((sample, at));
            if (_held.Count + 1 < stuckSamples) return;
            Stuck = true;
            Dropped += _held.Count;
            _held.Clear();
            return;
        }
        Stuck = false;
        foreach (var (held, heldAt) in _held) sink(held, heldAt);
        _held.Clear();
        _last = sample;
        _any = true;
        sink(sample, at);
    }
}
