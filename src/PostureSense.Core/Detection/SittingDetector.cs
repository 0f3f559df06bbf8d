using PostureSense.Core.Coaching;
using PostureSense.Core.Exercises;
using PostureSense.Core.Posture;

namespace PostureSense.Core.Detection;

/// <summary>
/// Prolonged sitting on event time: no walking (fewer than 20 steps per minute and motion under
/// 0.05 g) for the sitting limit (30 min). Only a real break, walking for the reset time (2 min),
/// ends a bout; a shorter walk to the printer does not, but the time spent walking is no sitting,
/// so it does not count toward the limit (20 min, a 110 s walk and 10 min more is met 110 s after
/// the 30 min mark). Time with the trunk near horizontal
/// (<see cref="TrunkAttitude"/>: lying down, the floor stretches a prompt asks for) is not sitting
/// either: it breaks a bout as walking does, and the criterion is never met on it. A gap in the
/// data as long as the reset ends the bout too, since the wearer may have walked while we could not see.
/// <para>
/// A walk that stops for a few seconds (at a door, a word in the corridor) and goes on is one walk:
/// over a minute it is still far above 20 steps a minute. Still frames after a walk with steps are
/// held undecided for up to <see cref="MaxStopInWalk"/>: if the walk goes on, they were part of it
/// (and count toward its 2 min); if not, sitting began with the first of them.
/// </para>
/// </summary>
public sealed class SittingDetector(CoachingSettings settings)
{
    const long FrameMs = 1000;
    /// <summary>Steps are counted over a short trailing window so a walk is seen within seconds of starting and stopping.</summary>
    const int StepWindowFrames = 5;
    /// <summary>The longest stop a walk goes on after as the same walk: a door, a few words, not a sit-down.</summary>
    public static readonly TimeSpan MaxStopInWalk = TimeSpan.FromSeconds(10);
    readonly long _maxStopMs = (long)MaxStopInWalk.TotalMilliseconds;
    readonly long _limitMs = (long)settings.SittingLimit.TotalMilliseconds;
    readonly long _resetMs = (long)settings.SittingResetWalk.TotalMilliseconds;
    readonly double _minStepsInWindow = settings.WalkingStepsPerMinute * StepWindowFrames / 60.0;
    readonly int[] _recentSteps = new int[StepWindowFrames];
    int _stepCursor;
    int _stepsInWindow;
    long? _boutStart;
    /// <summary>When the current stretch of walking or lying down began.</summary>
    long? _breakStart;
    long? _detectedAt;
    long _lastEnd;
    /// <summary>Walking inside the current bout, too short to end it: not sitting time.</summary>
    long _walkedMs;
    /// <summary>A break with this many seconds of steps is a walk, not a shuffle of the feet, a shift in the chair or lying down.</summary>
    const int WalkStepFrames = 5;
    /// <summary>Seconds with steps in the current break.</summary>
    int _breakStepFrames;
    /// <summary>The first still frame after a walk, while it is not yet known whether the walk goes on.</summary>
    long? _stopStart;
    /// <summary>The end of the current break's last frame with steps.</summary>
    long? _lastStepEnd;

    public bool InEpisode => _detectedAt is not null;
    public PostureRun? Current => _boutStart is { } start ? new PostureRun(PromptReason.Sitting, start, _lastEnd, _detectedAt) : null;

    /// <summary>Whether this frame counts as walking by the settings' rule.</summary>
    public bool IsWalking(in PostureFrame frame)
    {
        var steps = _stepsInWindow - _recentSteps[_stepCursor] + frame.Steps;
        return steps >= _minStepsInWindow || frame.Motion >= settings.WalkingMotionG;
    }

    public DetectorStep Observe(in PostureFrame frame)
    {
        PostureRun? closed = null;
        if (frame.Ts - _lastEnd >= _resetMs)
        {
            if (_boutStart is not null) closed = Close(_lastEnd);
            Array.Clear(_recentSteps);
            _stepsInWindow = 0;
            _breakStart = null;
            _breakStepFrames = 0;
            _stopStart = null;
            _lastStepEnd = null;
        }

        var walking = IsWalking(frame);
        var onBreak = walking || TrunkAttitude.IsNearHorizontal(frame);
        _stepsInWindow += frame.Steps - _recentSteps[_stepCursor];
        _recentSteps[_stepCursor] = frame.Steps;
        _stepCursor = (_stepCursor + 1) % StepWindowFrames;

        var frameEnd = frame.Ts + FrameMs;
        var nearHorizontal = TrunkAttitude.IsNearHorizontal(frame);
        var stepping = walking && frame.Steps > 0 && !nearHorizontal;
        // Moving without steps while standing after a walk (sitting down, a shift in the chair): the
        // walk had ended at the first still frame, as it would have without the wait.
        if (onBreak && !stepping && _stopStart is { } ended) StillSince(ended);
        if (onBreak)
        {
            _stopStart = null;
            _breakStart ??= frame.Ts;
            // Only a frame with steps of its own was spent walking: the step window trails a walk by a
            // few frames, and a shift in the chair moves the trunk without taking the wearer anywhere.
            // But when the steps go on after a stop, the stop was part of the walk too.
            if (stepping)
            {
                _breakStepFrames++;
                if (_boutStart is not null) _walkedMs += FrameMs + (_lastStepEnd is { } last ? frame.Ts - last : 0);
                _lastStepEnd = frameEnd;
            }
            else if (nearHorizontal)
            {
                // A bend to the floor (its way down and up can read as steps) is no walk, nor is what follows it.
                if (walking && _boutStart is not null && frame.Steps > 0) _walkedMs += FrameMs;
                _breakStepFrames = 0;
                _lastStepEnd = null;
            }
            if (_boutStart is not null && frameEnd - _breakStart >= _resetMs) closed = Close(_breakStart.Value);
        }
        else if (_breakStart is not null && _breakStepFrames >= WalkStepFrames && frameEnd - (_stopStart ??= frame.Ts) < _maxStopMs)
        {
            // Standing still after a walk: a stop in it, or the end of it. Wait and see.
        }
        else
        {
            StillSince(_stopStart ?? frame.Ts);
        }
        _lastEnd = frameEnd;

        PostureRun? started = null;
        // Met only on a still frame: someone who has just got up is already taking the advice.
        if (!onBreak && _stopStart is null && _boutStart is { } start && _detectedAt is null && frameEnd - start - _walkedMs >= _limitMs)
        {
            _detectedAt = frameEnd;
            started = Current;
        }
        return new DetectorStep(started, closed);
    }

    /// <summary>Sitting (or standing) began at <paramref name="start"/>: the break is over.</summary>
    void StillSince(long start)
    {
        _breakStart = null;
        _breakStepFrames = 0;
        _stopStart = null;
        _lastStepEnd = null;
        _boutStart ??= start;
    }

    public PostureRun? Flush() => _boutStart is null ? null : Close(_breakStart ?? _lastEnd);

    PostureRun Close(long end)
    {
        var run = new PostureRun(PromptReason.Sitting, _boutStart!.Value, end, _detectedAt);
        _boutStart = _detectedAt = null;
        _walkedMs = 0;
        return run;
    }
}
