using PostureSense.Core.Posture;

namespace PostureSense.Agent.Framing;

/// <summary>
/// Sums samples into 1 s frames aligned to whole seconds of sample time. A frame is complete with
/// the last sample of its second (known from the sample interval), so it goes out with the next
/// batch rather than waiting for the next second's first sample; if that last sample is lost, the
/// first sample of a later second completes it. Seconds with no samples produce no frame.
/// </summary>
/// <param name="sampleIntervalMs">Time between samples; 0: complete a frame only when a later second starts.</param>
public sealed class FrameBuilder(int sampleIntervalMs = 0)
{
    long _windowStartMs = long.MinValue;
    bool _windowDone;
    double _pitchSum, _rollSum, _motionSquaredSum, _flexionSum;
    int _count, _steps, _flexionCount;

    /// <summary>Adds one sample; returns a frame when this sample completes one (its own second's, or the one before).</summary>
    /// <param name="flexionDeg">Flexion with the trunk's twist taken out; NaN when unknown (the frame then carries none).</param>
    public PostureFrame? Add(long timeMs, double pitchDeg, double rollDeg, double motionG, bool step, double flexionDeg = double.NaN)
    {
        var window = timeMs - (timeMs % 1000 + 1000) % 1000;
        if (window < _windowStartMs || (window == _windowStartMs && _windowDone)) return null; // already summarised
        PostureFrame? done = null;
        if (window > _windowStartMs)
        {
            done = Flush();
            _windowStartMs = window;
            _windowDone = false;
        }
        _pitchSum += pitchDeg;
        _rollSum += rollDeg;
        _motionSquaredSum += motionG * motionG;
        if (!double.IsNaN(flexionDeg))
        {
            _flexionSum += flexionDeg;
            _flexionCount++;
        }
        _count++;
        if (step) _steps++;
        if (done is null && sampleIntervalMs > 0 && timeMs + sampleIntervalMs >= window + 1000)
        {
            done = Flush();
            _windowDone = true;
        }
        return done;
    }

    /// <summary>The open window as a frame (if it has samples), and starts afresh.</summary>
    public PostureFrame? Flush()
    {
        PostureFrame? frame = _count == 0 ? null : new PostureFrame(
            _windowStartMs,
            Math.Round(_pitchSum / _count, 2),
            Math.Round(_rollSum / _count, 2),
            Math.Round(Math.Sqrt(_motionSquaredSum / _count), 4),
            _steps)
        {
            Flexion = _flexionCount == 0 ? null : Math.Round(_flexionSum / _flexionCount, 2),
        };
        _pitchSum = _rollSum = _motionSquaredSum = _flexionSum = 0;
        _count = _steps = _flexionCount = 0;
        return frame;
    }
}
