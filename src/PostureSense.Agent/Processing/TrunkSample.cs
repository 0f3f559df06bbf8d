namespace PostureSense.Agent.Processing;

/// <summary>One sensor sample of the trunk, relative to the calibrated upright, as the stretch counters see it.</summary>
/// <param name="Ticks">Event time of the sample, UTC ticks.</param>
/// <param name="VerticalAccelG">
/// The body's acceleration along "up" with gravity taken out, in g (positive: speeding upward):
/// what tells getting down to the floor from folding forward in a chair.
/// </param>
public readonly record struct TrunkSample(long Ticks, double PitchDeg, double RollDeg, double VerticalAccelG = 0);
