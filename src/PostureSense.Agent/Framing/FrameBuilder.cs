using PostureSense.Core.Posture;

namespace PostureSense.Agent.Framing;

/// <summary>
/// Sums samples into 1 s frames aligned to whole seconds of sample time. A frame is complete
/// when the first sample of a later second arrives; seconds with no samples produce no frame.
/// </summary>
public sealed class FrameBuilder
{
    long _windowStartMs = long.MinValue;
    double _pitchSum, _rollSum, _motionSquaredSum;
    int _count, _steps;

    /// <summary>Adds one sample; returns the previous window's frame when this sample starts a new one.</summary>
    public PostureFrame? Add(long timeMs, double pitchDeg, double rollDeg, double motionG, bool step)
    {
        var window = timeMs - (timeMs % 1000 + 1000) % 1000;
        if (window < _windowStartMs) return null; // older than the open window: already summarised
        PostureFrame? done = null;
        if (window > _windowStartMs)
        {
            done = Flush();
            _windowStartMs = window;
        }
        _pitchSum += pitchDeg;
        _rollSum += rollDeg;
        _motionSquaredSum += motionG * motionG;
        _count++;
        if (step) _steps++;
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
            _steps);
        _pitchSum = _rollSum = _motionSquaredSum = 0;
        _count = _steps = 0;
        return frame;
    }
}
