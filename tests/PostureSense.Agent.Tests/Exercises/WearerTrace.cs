using PostureSense.Agent.Exercises;
using PostureSense.Agent.Processing;

namespace PostureSense.Agent.Tests.Exercises;

/// <summary>What the upper back does at an instant: its angles and the body's vertical acceleration.</summary>
internal readonly record struct Pose(double Pitch, double Roll = 0, double VerticalAccelG = 0);

/// <summary>Made-up 50 Hz traces of a wearer for the stretch session, on event-time ticks.</summary>
internal static class WearerTrace
{
    public const int Hz = 50;
    public static readonly long T0 = new DateTimeOffset(2026, 1, 5, 9, 0, 0, TimeSpan.Zero).UtcTicks;
    const double StandardGravity = 9.80665;

    /// <summary>Feeds <paramref name="seconds"/> of <paramref name="pose"/> from <paramref name="fromSeconds"/>; the result if the session ended.</summary>
    public static StretchResult? Feed(StretchSession session, double fromSeconds, double seconds, Func<double, Pose> pose)
    {
        for (var i = 0; i < seconds * Hz; i++)
        {
            var t = fromSeconds + i / (double)Hz;
            var p = pose(t);
            if (session.Observe(new TrunkSample(T0 + (long)(t * TimeSpan.TicksPerSecond), p.Pitch, p.Roll, p.VerticalAccelG)) is { } result) return result;
        }
        return null;
    }

    /// <summary>Feeds until the session ends, at most <paramref name="seconds"/>.</summary>
    public static StretchResult FeedToEnd(StretchSession session, double fromSeconds, double seconds, Func<double, Pose> pose) =>
        Feed(session, fromSeconds, seconds, pose) ?? throw new InvalidOperationException($"the session was still going after {fromSeconds + seconds} s");

    public static double Smooth(double x)
    {
        x = Math.Clamp(x, 0, 1);
        return x * x * (3 - 2 * x);
    }

    /// <summary>From <paramref name="from"/> to <paramref name="to"/> over <paramref name="seconds"/> starting at <paramref name="start"/>.</summary>
    public static double Ramp(double t, double start, double seconds, double from, double to) => from + (to - from) * Smooth((t - start) / seconds);

    /// <summary>The vertical acceleration of the body dropping (or, negative, rising) <paramref name="metres"/> smoothly over <paramref name="seconds"/> from <paramref name="start"/>, g.</summary>
    public static double Drop(double t, double start, double seconds = 1.5, double metres = 0.45)
    {
        var u = (t - start) / seconds;
        if (u is <= 0 or >= 1) return 0;
        return -metres * (6 - 12 * u) / (seconds * seconds) / StandardGravity;
    }

    /// <summary>
    /// Getting down to all fours from sitting (pitch 4) at <paramref name="start"/>: kneeling drops
    /// the body over 1.5 s with the trunk upright, then the hands go down and the back tips to 86°
    /// over 3.5 s. Down and settled 5 s after <paramref name="start"/>.
    /// </summary>
    public static Pose GettingDown(double t, double start, double level = 86) =>
        new(Ramp(t, start + 1.5, 3.5, 4, level), 0, Drop(t, start));
}
