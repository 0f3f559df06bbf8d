namespace PostureSense.Core.Posture;

/// <summary>
/// One second of posture as the agent summarises it and the wire carries it.
/// </summary>
/// <param name="Ts">Start of the 1 s window, Unix epoch milliseconds UTC.</param>
/// <param name="Pitch">Forward flexion relative to the calibrated upright, degrees; positive = hunching forward.</param>
/// <param name="Roll">Sideways lean relative to the calibrated upright, degrees; positive = to the right.</param>
/// <param name="Motion">RMS of the gravity-removed acceleration over the window, in g.</param>
/// <param name="Steps">Steps detected in the window.</param>
public readonly record struct PostureFrame(long Ts, double Pitch, double Roll, double Motion, int Steps)
{
    [System.Text.Json.Serialization.JsonIgnore]
    public DateTimeOffset Time => DateTimeOffset.FromUnixTimeMilliseconds(Ts);
}
