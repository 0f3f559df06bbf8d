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
/// <remarks>
/// <see cref="Flexion"/> is an optional extension of the contract: agents that know the trunk's
/// axial twist send it, older ones omit it, and older servers ignore it.
/// </remarks>
// Every field is required on the wire; a struct's implicit default constructor would otherwise
// let a missing field through as zero.
public readonly record struct PostureFrame(
    [property: JsonRequired] long Ts,
    [property: JsonRequired] double Pitch,
    [property: JsonRequired] double Roll,
    [property: JsonRequired] double Motion,
    [property: JsonRequired] int Steps)
{
    /// <summary>
    /// Forward flexion in the trunk's own (twisted) sagittal plane, degrees, same range and sign as
    /// <see cref="Pitch"/>: a hunch while turned to a side monitor reads its true angle here, less
    /// in pitch. Null when the agent does not measure it.
    /// </summary>
    public double? Flexion { get; init; }

    /// <summary>How far the wearer is bent forward, as the hunch rules judge it: flexion when the frame has it, pitch otherwise.</summary>
    [JsonIgnore]
    public double ForwardDeg => Flexion ?? Pitch;

    [JsonIgnore]
    public DateTimeOffset Time => DateTimeOffset.FromUnixTimeMilliseconds(Ts);
}
