using System.Numerics;

namespace PostureSense.FirmwareSim.Wearer.Motions;

/// <summary>
/// Walking: one vertical bounce per step (the dominant signal), a fore-aft surge per step and a
/// sideways sway per stride (two steps). At 100 steps a minute and faster the RMS is about 0.23 g,
/// a brisk walk; a slow walk bounces less (down to 55% at 55 steps a minute). Stairs land harder.
/// The bounce builds up over the first steps and dies down over the last, as a body starts and
/// stops walking: it goes up and down but ends where it began, never drifting up or down.
/// </summary>
internal sealed class Gait(double cadenceStepsPerMin, bool stairs, double phase, double segmentSeconds) : IMotion
{
    const double StartStopSeconds = 2;

    const double VerticalG = 0.30, ForeAftG = 0.12, LateralG = 0.08;
    const double PitchSwayDeg = 1.5, RollSwayDeg = 2.0;
    /// <summary>Each step up or down a stair lifts or drops the body as well as bouncing it.</summary>
    const double StairsVerticalScale = 1.3;

    readonly double _scale = Scale(cadenceStepsPerMin) * (stairs ? StairsVerticalScale : 1);

    /// <summary>How hard the steps land at this cadence, relative to a brisk walk.</summary>
    public static double Scale(double cadenceStepsPerMin) => cadenceStepsPerMin switch
    {
        < 100 => Math.Max(0.55, cadenceStepsPerMin / 100),
        > 115 => Math.Min(1.2, 1 + (cadenceStepsPerMin - 115) / 100),
        _ => 1,
    };

    public void Apply(double into, double t, ref Pose pose)
    {
        var step = 2 * Math.PI * cadenceStepsPerMin / 60 * t + phase;
        var stride = step / 2;
        pose.PitchDeg += PitchSwayDeg * Math.Sin(step);
        pose.RollDeg += RollSwayDeg * Math.Sin(stride);
        var scale = _scale * Math.Min(Ease.Smooth(into / StartStopSeconds), Ease.Smooth((segmentSeconds - into) / StartStopSeconds));
        pose.AccelG += new Vector3(
            (float)(scale * ForeAftG * Math.Sin(step + Math.PI / 2)),
            (float)(scale * LateralG * Math.Sin(stride)),
            (float)(scale * VerticalG * Math.Sin(step)));
    }
}
