namespace PostureSense.FirmwareSim.Strap;

/// <summary>
/// How the board's seat on the back moves during the day, apart from the trunk: the strap creeps
/// (<see cref="DriftPitchDegPerHour"/>) and now and then shifts at once, when the wearer stands up
/// or reaches (<see cref="Shifts"/>). Only what the sensor sees changes; the wearer's true
/// posture, and so the ground truth, does not. Positive pitch tips the board as a forward lean
/// would: a board that slipped 5° forward reads an upright trunk as 5° of flexion.
/// </summary>
public sealed record StrapSlip
{
    /// <summary>The largest shift the format takes: a strap that moves further is off, not slipped.</summary>
    public const double MaxShiftDeg = 10;
    /// <summary>The largest creep the format takes, degrees an hour.</summary>
    public const double MaxDriftDegPerHour = 3;

    /// <summary>Slow creep of the board's pitch relative to the trunk, degrees an hour from the start.</summary>
    public double DriftPitchDegPerHour { get; init; }

    /// <summary>Sudden shifts, in time order.</summary>
    public IReadOnlyList<StrapShift> Shifts { get; init; } = [];

    /// <summary>A strap that stays where it was put.</summary>
    public static StrapSlip None { get; } = new();

    public bool IsNone => DriftPitchDegPerHour == 0 && Shifts.Count == 0;

    /// <summary>How far the board has turned on the trunk <paramref name="sinceStart"/> into the scenario, degrees.</summary>
    public (double PitchDeg, double RollDeg) At(TimeSpan sinceStart)
    {
        double pitch = DriftPitchDegPerHour * Math.Max(0, sinceStart.TotalHours), roll = 0;
        foreach (var shift in Shifts)
        {
            if (sinceStart <= shift.At) break;
            var done = Smooth((sinceStart - shift.At) / shift.Over);
            pitch += shift.PitchDeg * done;
            roll += shift.RollDeg * done;
        }
        return (pitch, roll);
    }

    /// <summary>0 to 1 with zero slope at both ends: the strap starts and stops sliding gently.</summary>
    static double Smooth(double x)
    {
        x = Math.Clamp(x, 0, 1);
        return x * x * (3 - 2 * x);
    }
}

/// <summary>The strap shifting once, over <see cref="Over"/>, starting <see cref="At"/> into the scenario.</summary>
/// <param name="PitchDeg">Forward positive, as a trunk flexion.</param>
/// <param name="RollDeg">Turned in the plane of the back, right positive.</param>
public sealed record StrapShift(TimeSpan At, double PitchDeg, double RollDeg, TimeSpan Over)
{
    public override string ToString() => $"{At} {PitchDeg:+0.0;-0.0}° pitch {RollDeg:+0.0;-0.0}° roll over {Over.TotalSeconds:0.#} s";
}
