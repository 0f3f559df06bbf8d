using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using PostureSense.Agent.Sensors.Mpu6050;

namespace PostureSense.Agent.Sensors;

/// <summary>Where timed samples go.</summary>
public delegate void SampleSink(in ImuSample sample, DateTimeOffset at);

/// <summary>
/// Drains the sensor's FIFO and hands each sample to the processor with its event time:
/// anchor + k / rate, the anchor being the clock when the FIFO was last reset. Polling late or
/// early does not move sample times, so the pipeline behaves the same on any clock speed.
/// </summary>
public sealed class ImuSampler(Mpu6050Driver driver, SampleSink sink, TimeProvider clock, ILogger? log = null)
{
    /// <summary>How often to drain: the FIFO holds 85 samples, 1.7 s at 50 Hz.</summary>
    public static readonly TimeSpan PollPeriod = TimeSpan.FromMilliseconds(200);
    // The sensor's oscillator and the Pi's clock drift apart; beyond this, trust the Pi's.
    static readonly TimeSpan MaxSkew = TimeSpan.FromSeconds(2);

    readonly ImuSample[] _buffer = new ImuSample[96];
    readonly ILogger _log = log ?? NullLogger.Instance;
    DateTimeOffset _anchor;
    long _index;

    public int Overflows { get; private set; }

    /// <summary>Resets the FIFO and anchors sample time to now.</summary>
    public void Start()
    {
        driver.ResetFifo();
        Anchor();
    }

    /// <summary>Processes every sample waiting in the FIFO; returns how many.</summary>
    public int Poll()
    {
        var total = 0;
        while (true)
        {
            var n = driver.ReadFifo(_buffer, out var overflowed);
            if (overflowed)
            {
                Overflows++;
                _log.FifoOverflowed();
                Anchor();
                return total;
            }
            var rate = (double)driver.SampleRateHz;
            for (var i = 0; i < n; i++)
            {
                var at = _anchor + TimeSpan.FromTicks((long)(_index++ * TimeSpan.TicksPerSecond / rate));
                sink(_buffer[i], at);
            }
            total += n;
            if (n < _buffer.Length) break;
        }
        CheckSkew();
        return total;
    }

    void Anchor()
    {
        _anchor = clock.GetUtcNow();
        _index = 0;
    }

    void CheckSkew()
    {
        var next = _anchor + TimeSpan.FromTicks((long)(_index * TimeSpan.TicksPerSecond / (double)driver.SampleRateHz));
        var skew = next - clock.GetUtcNow();
        if (skew.Duration() <= MaxSkew) return;
        _log.SampleClockSkew(skew);
        _anchor -= skew;
    }
}
