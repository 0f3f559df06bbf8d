namespace PostureSense.FirmwareSim.Scenarios;

/// <summary>One stretch of a scenario. The posture moves from the previous segment's over <see cref="Ramp"/>.</summary>
/// <param name="Start">Offset from the scenario start.</param>
/// <param name="PitchDeg">The posture's pitch: for a bend how deep it goes, for the stretches their neutral (about 90°).</param>
/// <param name="CadenceStepsPerMin">Steps per minute while walking; 0 otherwise.</param>
/// <param name="Label">Ground truth for the segment: "upright", "hunch", "walking", "correction", "phone-burst"...</param>
public sealed record ScenarioSegment(
    Activity Activity,
    TimeSpan Start,
    TimeSpan Duration,
    double PitchDeg,
    double RollDeg,
    TimeSpan Ramp,
    double CadenceStepsPerMin,
    string Label)
{
    public TimeSpan End => Start + Duration;

    /// <summary>
    /// Sitting or standing, the upper trunk turned about its long axis (to a side monitor),
    /// degrees, positive to the left; the pitch is then the true flexion in the turned trunk's plane.
    /// </summary>
    public double TwistDeg { get; init; }

    /// <summary>
    /// Sitting or standing, the whole wearer turns about the vertical over the ramp, degrees,
    /// positive to the left: the chair swivelled (or a turn on the spot). Unlike a twist it leaves
    /// the trunk as it was on the body: the flexion does not change.
    /// </summary>
    public double SwivelDeg { get; init; }

    /// <summary>Sitting or standing, hands at the keyboard and mouse: bursts of small fast jiggle of the shoulder blades.</summary>
    public bool Typing { get; init; }

    /// <summary>A walk's turns (90-180° about the vertical, about a second each), on average this many a minute.</summary>
    public double TurnsPerMinute { get; init; }

    /// <summary>A walk's stops (a door: 3-8 s standing, then on), on average this many a minute; the walk goes on through them.</summary>
    public double StopsPerMinute { get; init; }

    /// <summary>How the wearer slouches in this segment (sitting or standing).</summary>
    public SlouchStyle Slouch { get; init; }

    /// <summary>Small shifts in the chair (reaching, crossing legs), on average this many a minute.</summary>
    public double FidgetsPerMinute { get; init; }

    /// <summary>A stretch prompt arrives as this segment starts, and this is what the wearer does with it.</summary>
    public StretchPlan? Stretch { get; init; }

    /// <summary>
    /// Sitting or standing, the movement of a floor stretch done where the wearer is instead: rocking
    /// folded forward in a chair (Cat-Cow), a seated twist (Thread the Needle), lifting the chest
    /// out of a fold (Superman). Nothing for the device to count: the wearer never got down.
    /// </summary>
    public StretchPlan? Mimic { get; init; }
}
