using PostureSense.FirmwareSim.Wearer;
using PostureSense.GroundTruth;
using TruthActivity = PostureSense.GroundTruth.Activity;

namespace PostureSense.FirmwareSim.Scenarios;

/// <summary>
/// A scenario's ground truth told from the wearer model, not from any detector: what the wearer's
/// back truly did each second, and the episodes DESIGN.md's rules find in that
/// (<see cref="ReferenceRules"/>). The detectors are scored against these.
/// </summary>
public static class ScenarioTruth
{
    // Posture is averaged over the second at this many instants, enough to smooth sway and gait.
    const int SamplesPerSecond = 10;

    /// <summary>The wearer's flexion and activity, second by second.</summary>
    /// <remarks>
    /// Flexion is measured from the upright the wearer held while the device calibrated, as
    /// DESIGN.md defines <c>pitch</c>: someone whose natural upright is 3° forward hunches at 23°.
    /// </remarks>
    public static TruthSecond[] Seconds(Scenario scenario)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        var wearer = new ScenarioWearer(scenario);
        var upright = wearer.At(ScenarioRules.Calibration / 2).PitchDeg;
        var seconds = new TruthSecond[(int)Math.Ceiling(scenario.Duration.TotalSeconds)];
        for (var s = 0; s < seconds.Length; s++)
        {
            var pitch = 0.0;
            for (var i = 0; i < SamplesPerSecond; i++)
                pitch += wearer.At(TimeSpan.FromSeconds(s + (i + 0.5) / SamplesPerSecond)).PitchDeg;
            var segment = scenario.Segments[scenario.SegmentIndexAt(TimeSpan.FromSeconds(s + 0.5))];
            seconds[s] = new TruthSecond(pitch / SamplesPerSecond - upright, Map(segment.Activity));
        }
        return seconds;
    }

    /// <summary>The prolonged episodes the reference rules find in the scenario's truth.</summary>
    public static IReadOnlyList<ReferenceEpisode> Episodes(Scenario scenario, RuleSettings? rules = null) =>
        ReferenceRules.Episodes(Seconds(scenario), rules);

    /// <summary>What each scenario activity is to the rules; a bend is a moment on the feet or in
    /// the chair, judged like any upright posture. A walk's stops (a few seconds at a door) are part
    /// of the walk: whoever stops at a door on the way to the kitchen is still on a walk.</summary>
    public static TruthActivity Map(Activity activity) => activity switch
    {
        Activity.Sit => TruthActivity.Sitting,
        Activity.Stand or Activity.Bend => TruthActivity.Standing,
        Activity.Walk or Activity.Stairs => TruthActivity.Walking,
        Activity.Lie => TruthActivity.Lying,
        Activity.CatCow or Activity.ThreadTheNeedle or Activity.Superman => TruthActivity.Floor,
        _ => throw new ArgumentOutOfRangeException(nameof(activity), activity, null),
    };
}
