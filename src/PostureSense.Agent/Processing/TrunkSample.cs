namespace PostureSense.Agent.Processing;

/// <summary>One sensor sample of the trunk, relative to the calibrated upright, as the stretch counters see it.</summary>
/// <param name="Ticks">Event time of the sample, UTC ticks.</param>
public readonly record struct TrunkSample(long Ticks, double PitchDeg, double RollDeg);
