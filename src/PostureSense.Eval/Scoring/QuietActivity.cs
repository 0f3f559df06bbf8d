using PostureSense.FirmwareSim.Scenarios;

namespace PostureSense.Eval.Scoring;

/// <summary>The activities during which nothing should buzz the wearer, and the rest.</summary>
public enum QuietActivity
{
    /// <summary>Sitting or standing: where prompts and nudges belong.</summary>
    None,
    Bend,
    Walking,
    Stretching,
    Lying,
}

public static class QuietActivities
{
    public static QuietActivity Of(Activity activity) => activity switch
    {
        Activity.Bend => QuietActivity.Bend,
        Activity.Walk or Activity.Stairs => QuietActivity.Walking,
        Activity.CatCow or Activity.ThreadTheNeedle or Activity.Superman => QuietActivity.Stretching,
        Activity.Lie => QuietActivity.Lying,
        _ => QuietActivity.None,
    };

    /// <summary>What the wearer was doing at <paramref name="offset"/> into the scenario.</summary>
    public static QuietActivity At(Scenario scenario, TimeSpan offset) =>
        Of(scenario.Segments[scenario.SegmentIndexAt(offset)].Activity);

    public static IReadOnlyList<QuietActivity> Quiet { get; } = [QuietActivity.Bend, QuietActivity.Walking, QuietActivity.Stretching, QuietActivity.Lying];
}
