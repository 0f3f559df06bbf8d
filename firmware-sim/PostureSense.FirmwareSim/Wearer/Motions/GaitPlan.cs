namespace PostureSense.FirmwareSim.Wearer.Motions;

/// <summary>
/// Where a walk turns and where it stops, drawn once from the segment's seed.
/// <list type="bullet">
/// <item>A turn (a corner, back along a corridor) swings the whole body 90-180° one way or the
/// other about the vertical in about a second: 80-120 °/s on average, up to 180 °/s at its fastest,
/// as the gyro sees a real walker turn. The walker keeps stepping through it.</item>
/// <item>A stop (a door, a colleague in the corridor) slows to a standstill over a second, stands
/// 3-8 s and sets off again: for those seconds there are no steps.</item>
/// </list>
/// Turns and stops keep clear of each other and of the walk's first and last seconds.
/// </summary>
internal sealed class GaitPlan
{
    readonly record struct Turn(double Start, double Seconds, double AngleDeg);
    readonly record struct Stop(double Start, double Seconds);

    const double MinTurnDeg = 90, MaxTurnDeg = 180;
    const double MinTurnRateDps = 80, MaxTurnRateDps = 120;
    const double MinStopSeconds = 3, MaxStopSeconds = 8;
    /// <summary>Slowing down to a stop, and getting going again.</summary>
    const double StopEaseSeconds = 1;
    /// <summary>Kept free at each end of the walk and between two events.</summary>
    const double ClearSeconds = 3;

    readonly Turn[] _turns;
    readonly Stop[] _stops;

    GaitPlan(Turn[] turns, Stop[] stops)
    {
        _turns = turns;
        _stops = stops;
        TotalTurnDeg = turns.Sum(t => t.AngleDeg);
    }

    public static GaitPlan Straight { get; } = new([], []);

    public double TotalTurnDeg { get; }
    public int Turns => _turns.Length;
    public int Stops => _stops.Length;

    /// <param name="turnsPerMinute">On average; the count over the walk is rounded.</param>
    /// <param name="stopsPerMinute">On average; the count over the walk is rounded.</param>
    public static GaitPlan Random(double segmentSeconds, double turnsPerMinute, double stopsPerMinute, Random random)
    {
        if (turnsPerMinute <= 0 && stopsPerMinute <= 0) return Straight;
        var taken = new List<(double Start, double End)>();
        var stops = new List<Stop>();
        for (var i = 0; i < (int)Math.Round(stopsPerMinute * segmentSeconds / 60); i++)
        {
            var seconds = MinStopSeconds + random.NextDouble() * (MaxStopSeconds - MinStopSeconds);
            if (Place(seconds + 2 * StopEaseSeconds, segmentSeconds, taken, random) is { } start)
                stops.Add(new Stop(start, seconds + 2 * StopEaseSeconds));
        }
        var turns = new List<Turn>();
        for (var i = 0; i < (int)Math.Round(turnsPerMinute * segmentSeconds / 60); i++)
        {
            var angle = (MinTurnDeg + random.NextDouble() * (MaxTurnDeg - MinTurnDeg)) * (random.NextDouble() < 0.5 ? -1 : 1);
            var seconds = Math.Abs(angle) / (MinTurnRateDps + random.NextDouble() * (MaxTurnRateDps - MinTurnRateDps));
            if (Place(seconds, segmentSeconds, taken, random) is { } start)
                turns.Add(new Turn(start, seconds, angle));
        }
        return new GaitPlan([.. turns.OrderBy(t => t.Start)], [.. stops.OrderBy(s => s.Start)]);
    }

    /// <summary>A start for an event this long, clear of the others; null when the walk has no room left.</summary>
    static double? Place(double seconds, double segmentSeconds, List<(double Start, double End)> taken, Random random)
    {
        var room = segmentSeconds - seconds - 2 * ClearSeconds;
        for (var attempt = 0; room > 0 && attempt < 20; attempt++)
        {
            var start = ClearSeconds + random.NextDouble() * room;
            if (taken.Any(t => start < t.End + ClearSeconds && t.Start < start + seconds + ClearSeconds)) continue;
            taken.Add((start, start + seconds));
            return start;
        }
        return null;
    }

    /// <summary>1 while walking, easing to 0 through a stop.</summary>
    public double Going(double into)
    {
        foreach (var stop in _stops)
            if (into > stop.Start && into < stop.Start + stop.Seconds)
                return 1 - Ease.Plateau(into, stop.Start, StopEaseSeconds, stop.Start + stop.Seconds, StopEaseSeconds);
        return 1;
    }

    /// <summary>Whether the walker is standing still at a stop at this instant (its eases left out).</summary>
    public bool Stopped(double into) =>
        _stops.Any(s => into >= s.Start + StopEaseSeconds && into <= s.Start + s.Seconds - StopEaseSeconds);

    /// <summary>How far the walk has turned the wearer so far (degrees, left positive) and how fast it is turning (°/s).</summary>
    public (double Deg, double RateDps) TurnAt(double into)
    {
        double deg = 0, rate = 0;
        foreach (var turn in _turns)
        {
            if (into >= turn.Start + turn.Seconds) deg += turn.AngleDeg;
            else if (into > turn.Start)
            {
                var u = (into - turn.Start) / turn.Seconds;
                deg += turn.AngleDeg * Ease.Smooth(u);
                // The smooth ease's slope, 6u(1-u): 1.5 times the mean rate at the middle of the turn.
                rate = turn.AngleDeg * 6 * u * (1 - u) / turn.Seconds;
            }
        }
        return (deg, rate);
    }
}
