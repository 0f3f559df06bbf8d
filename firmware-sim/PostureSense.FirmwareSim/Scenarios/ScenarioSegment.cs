namespace PostureSense.FirmwareSim.Scenarios;

/// <summary>One stretch of a scenario. The posture moves from the previous segment's over <see cref="Ramp"/>.</summary>
/// <param name="Start">Offset from the scenario start.</param>
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
}
