namespace PostureSense.Agent.Framing;

/// <summary>
/// Counts steps as peaks of the acceleration along gravity: each heel strike pushes the trunk
/// up above 1 g. A step is counted when the signal rises through the threshold, no sooner than
/// the refractory time after the previous one, and the detector re-arms only once the signal has
/// fallen back near 1 g, so noise around the threshold cannot count twice.
/// </summary>
public sealed class StepDetector(double thresholdAboveG = 0.1, double rearmAboveG = 0.03, double refractorySeconds = 0.25)
{
    long _lastStepTicks = long.MinValue / 2;
    bool _armed = true;

    /// <returns>True when this sample is a step.</returns>
    public bool Update(double alongGravityG, long timeTicks)
    {
        var above = alongGravityG - 1;
        if (!_armed)
        {
            if (above < rearmAboveG) _armed = true;
            return false;
        }
        if (above < thresholdAboveG) return false;
        _armed = false;
        if (timeTicks - _lastStepTicks < TimeSpan.TicksPerSecond * refractorySeconds) return false;
        _lastStepTicks = timeTicks;
        return true;
    }
}
