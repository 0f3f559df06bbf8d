namespace PostureSense.FirmwareSim.Scenarios;

/// <summary>How well the wearer does a prompted stretch.</summary>
public enum StretchQuality
{
    /// <summary>Full range, steady pace, the reps and holds the file gives.</summary>
    Well,
    /// <summary>Half the range, an uneven pace, usually fewer reps or shorter holds.</summary>
    Partly,
    /// <summary>Gets into position but does not move: nothing to count.</summary>
    None,
    /// <summary>The prompt came but the wearer carried on with what they were doing.</summary>
    Ignored,
}

/// <summary>What the wearer does in a stretch segment: the ground truth the device's count is held to.</summary>
/// <param name="Reps">Cat-Cow cycles (a cat and a cow) or Superman lifts; 0 for Thread the Needle.</param>
/// <param name="HoldsS">Thread the Needle holds (alternating sides, left first) or Superman holds, seconds, in order.</param>
/// <param name="PeriodSeconds">Cat-Cow: seconds per cycle. Superman: seconds of rest between lifts.</param>
/// <param name="RangeDeg">Cat-Cow: flexion each way from neutral; Thread the Needle: the turn; Superman: the chest lift.</param>
public sealed record StretchPlan(string ExerciseId, StretchQuality Quality, int Reps, IReadOnlyList<double> HoldsS, double PeriodSeconds, double RangeDeg)
{
    /// <summary>How long before the segment the prompt came (the wearer walked first, as a sitting prompt advises).</summary>
    public TimeSpan PromptedBefore { get; init; }

    /// <summary>Whether there is anything for the device to count.</summary>
    public bool Done => Reps > 0 || HoldsS.Count > 0;
}

/// <summary>
/// A stretch prompt in a scenario and what the wearer made of it: the prompt arrives at
/// <see cref="PromptAt"/> (as the segment starts, or <see cref="StretchPlan.PromptedBefore"/> that)
/// and the wearer is done with it by <see cref="End"/>.
/// </summary>
public sealed record StretchSession(TimeSpan PromptAt, TimeSpan End, StretchPlan Plan)
{
    public string ExerciseId => Plan.ExerciseId;

    /// <summary>The wearer answered the prompt with the stretch's movement in the chair or at the desk, never getting down: nothing to count.</summary>
    public bool InChair { get; init; }
}
