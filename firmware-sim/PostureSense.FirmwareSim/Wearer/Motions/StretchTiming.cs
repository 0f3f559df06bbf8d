using PostureSense.FirmwareSim.Scenarios;

namespace PostureSense.FirmwareSim.Wearer.Motions;

/// <summary>
/// How a stretch segment is laid out in time, shared by the motions that perform it and the
/// parser that checks it fits: the ramp into position, a moment to settle, the reps or holds,
/// a moment before getting up.
/// </summary>
internal static class StretchTiming
{
    public const double SettleSeconds = 2;
    public const double TailSeconds = 2;
    /// <summary>Thread the Needle: turning into and out of a hold, and the pause between sides.</summary>
    public const double TurnSeconds = 3, PauseSeconds = 4;
    /// <summary>Superman: lifting and lowering.</summary>
    public const double LiftSeconds = 1;

    /// <summary>Seconds of movement after the settle.</summary>
    public static double ActiveSeconds(StretchPlan plan) => plan.ExerciseId switch
    {
        "cat-cow" => plan.Reps * plan.PeriodSeconds,
        "thread-the-needle" => plan.HoldsS.Sum(h => h + 2 * TurnSeconds + PauseSeconds),
        "superman" => plan.HoldsS.Sum(h => h + 2 * LiftSeconds + plan.PeriodSeconds),
        _ => 0,
    };

    /// <summary>The shortest segment that fits the plan after a ramp of <paramref name="rampSeconds"/>.</summary>
    public static double MinimumSeconds(StretchPlan plan, double rampSeconds) =>
        rampSeconds + SettleSeconds + ActiveSeconds(plan) + TailSeconds;
}
