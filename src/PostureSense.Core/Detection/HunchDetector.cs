using PostureSense.Core.Coaching;
using PostureSense.Core.Exercises;
using PostureSense.Core.Posture;

namespace PostureSense.Core.Detection;

/// <summary>
/// Prolonged hunch on event time: flexion (pitch when a frame has none; <see cref="PostureFrame.ForwardDeg"/>) at or above the hunch angle for the hold time (5 min)
/// within the window (6 min). A run starts at the first hunched second; corrections shorter than
/// the reset (30 s) do not end it, a longer one (or a gap in the data as long) does. A trunk near
/// horizontal (<see cref="TrunkAttitude"/>: lying down, a floor stretch, a bend to the floor) is
/// not a hunch however far its pitch goes, and counts like a correction.
/// </summary>
public sealed class HunchDetector(CoachingSettings settings)
{
    const long FrameMs = 1000;
    readonly long _windowMs = (long)settings.HunchWindow.TotalMilliseconds;
    readonly long _holdMs = (long)settings.HunchHold.TotalMilliseconds;
    readonly long _resetMs = (long)settings.HunchCorrectionReset.TotalMilliseconds;
    readonly Queue<long> _hunchedInWindow = new();
    long? _runStart;
    long? _correctionStart;
    long? _detectedAt;
    long _lastEnd;

    public bool InEpisode => _detectedAt is not null;
    /// <summary>The open run, if any, up to the newest frame.</summary>
    public PostureRun? Current => _runStart is { } start ? new PostureRun(PromptReason.Hunch, start, _lastEnd, _detectedAt) : null;

    public DetectorStep Observe(in PostureFrame frame)
    {
        PostureRun? closed = null;
        // A hole in the data as long as a correction: we cannot claim the hunch went on.
        if (_runStart is not null && frame.Ts - _lastEnd >= _resetMs)
            closed = Close(_lastEnd);

        var frameEnd = frame.Ts + FrameMs;
        if (frame.ForwardDeg >= settings.HunchPitchDeg && !TrunkAttitude.IsNearHorizontal(frame))
        {
            _runStart ??= frame.Ts;
            _correctionStart = null;
            _hunchedInWindow.Enqueue(frame.Ts);
        }
        else if (_runStart is not null)
        {
            _correctionStart ??= frame.Ts;
            if (frameEnd - _correctionStart >= _resetMs) closed = Close(_correctionStart.Value);
        }
        _lastEnd = frameEnd;

        while (_hunchedInWindow.TryPeek(out var oldest) && oldest + FrameMs <= frameEnd - _windowMs)
            _hunchedInWindow.Dequeue();

        PostureRun? started = null;
        if (_runStart is not null && _detectedAt is null && _hunchedInWindow.Count * FrameMs >= _holdMs)
        {
            _detectedAt = frameEnd;
            started = Current;
        }
        return new DetectorStep(started, closed);
    }

    /// <summary>Ends the open run at the end of the data (e.g. the end of a day).</summary>
    public PostureRun? Flush() => _runStart is null ? null : Close(_correctionStart ?? _lastEnd);

    PostureRun Close(long end)
    {
        var run = new PostureRun(PromptReason.Hunch, _runStart!.Value, end, _detectedAt);
        _runStart = _correctionStart = _detectedAt = null;
        _hunchedInWindow.Clear();
        return run;
    }
}
