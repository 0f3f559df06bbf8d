using System.Text.Json.Serialization;

namespace PostureSense.Core.Posture;

/// <summary>
/// One second of posture as the agent summarises it and the wire carries it.
/// </summary>
/// <param name="Ts">Start of the 1 s window, Unix epoch milliseconds UTC.</param>
/// <param name="Pitch">Forward flexion relative to the calibrated upright, degrees; positive = hunching forward.</param>
/// <param name="Roll">Sideways lean relative to the calibrated upright, degrees; positive = to the right.</param>
/// <param name="Motion">RMS of the gravity-removed acceleration over the window, in g.</param>
/// <param name="Steps">Steps detected in the window.</param>
// Every field is required on the wire; a struct's implicit default constructor would otherwise
// let a missing field through as zero.
public readonly record struct PostureFrame(
    [property: JsonRequired] long Ts,
    [property: JsonRequired] double Pitch,
    [property: JsonRequired] double Roll,
    [property: JsonRequired] double Motion,
    [property: JsonRequired] int Steps)
{
    [JsonIgnore]
    public DateTimeOffset Time => DateTimeOffset.FromUnixTimeMilliseconds(Ts);
}
