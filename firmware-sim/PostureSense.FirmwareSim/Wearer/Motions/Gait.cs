using System.Numerics;

namespace PostureSense.FirmwareSim.Wearer.Motions;

/// <summary>
/// Walking: one vertical bounce per step (the dominant signal), a sharp jolt as each heel strikes,
/// a fore-aft surge per step and a sideways sway per stride (two steps). At 100 steps a minute and
/// faster the RMS is about 0.25-0.3 g, a brisk walk; a slow walk bounces less (down to 55% at 55 steps
/// a minute). Stairs land harder. The bounce builds up over the first steps and dies down over the
/// last, as a body starts and stops walking: it goes up and down but ends where it began, never
/// drifting up or down. A walk may turn now and then (the whole body, about the vertical) and stop
/// for a few seconds (at a door) before going on; see <see cref="GaitPlan"/>.
/// </summary>
internal sealed class Gait : IMotion
{
    const double StartStopSeconds = 2;

    const double VerticalG = 0.30, ForeAftG = 0.12, LateralG = 0.08;
    const double PitchSwayDeg = 1.5, RollSwayDeg = 2.0;
    /// <summary>Each step up or down a stair lifts or drops the body as well as bouncing it.</summary>
    const double StairsVerticalScale = 1.3;

    /// <summary>
    /// The heel strike: a jolt of about 0.4 g up (and a braking jolt back) over 60 ms, a little
    /// before the bounce's peak, when the body's weight lands on the new foot.
    /// </summary>
    const double HeelStrikeG = 0.4, HeelBrakeFraction = 0.4, HeelStrikeSeconds = 0.06, HeelStrikeLeadRad = 0.15;

    /// <summary>Walkers slow to about this (m/s) through a sharp turn; the turn pulls them toward its centre at speed × rate.</summary>
    const double TurningSpeedMps = 0.5;
    const double StandardGravity = 9.80665;

    readonly double _cadence;
    readonly double _phase;
    readonly double _segmentSeconds;
    readonly double _scale;
    readonly GaitPlan _plan;
    /// <summary>The heel strike's mean over a step, taken out so the jolts add no net lift: the body lands where it was.</summary>
    readonly double _heelMeanPerStep;

    public Gait(double cadenceStepsPerMin, bool stairs, double phase, double segmentSeconds, GaitPlan? plan = null)
    {
        _cadence = cadenceStepsPerMin;
        _phase = phase;
        _segmentSeconds = segmentSeconds;
        _scale = Scale(cadenceStepsPerMin) * (stairs ? StairsVerticalScale : 1);
        _plan = plan ?? GaitPlan.Straight;
        _heelMeanPerStep = HeelStrikeSeconds * 2 / Math.PI * cadenceStepsPerMin / 60;
    }

    /// <summary>How far the walk turns the wearer in all, degrees, positive to the left.</summary>
    public double TotalTurnDeg => _plan.TotalTurnDeg;

    /// <summary>How hard the steps land at this cadence, relative to a brisk walk.</summary>
    public static double Scale(double cadenceStepsPerMin) => cadenceStepsPerMin switch
    {
        < 100 => Math.Max(0.55, cadenceStepsPerMin / 100),
        > 115 => Math.Min(1.2, 1 + (cadenceStepsPerMin - 115) / 100),
        _ => 1,
    };

    public void Apply(double into, double t, ref Pose pose)
    {
        var step = 2 * Math.PI * _cadence / 60 * t + _phase;
        var stride = step / 2;
        // Standing at a door the steps stop, and with them the bounce, jolts and sway.
        var going = _plan.Going(into);
        pose.PitchDeg += going * PitchSwayDeg * Math.Sin(step);
        pose.RollDeg += going * RollSwayDeg * Math.Sin(stride);
        var scale = going * _scale * Math.Min(Ease.Smooth(into / StartStopSeconds), Ease.Smooth((_segmentSeconds - into) / StartStopSeconds));
        var heel = scale * HeelStrikeG * (HeelStrike(step) - _heelMeanPerStep);
        var (turnDeg, turnRateDps) = _plan.TurnAt(into);
        pose.HeadingDeg += turnDeg;
        var centripetalG = TurningSpeedMps * turnRateDps * Math.PI / 180 / StandardGravity;
        pose.AccelG += new Vector3(
            (float)(scale * ForeAftG * Math.Sin(step + Math.PI / 2) - HeelBrakeFraction * heel),
            (float)(scale * LateralG * Math.Sin(stride) + centripetalG),
            (float)(scale * VerticalG * Math.Sin(step) + heel));
    }

    /// <summary>0 to 1: the jolt of the step's heel strike (a half sine), 0 between strikes.</summary>
    double HeelStrike(double stepPhase)
    {
        var sinceStrike = (stepPhase - (Math.PI / 2 - HeelStrikeLeadRad)) % (2 * Math.PI);
        if (sinceStrike < 0) sinceStrike += 2 * Math.PI;
        var seconds = sinceStrike / (2 * Math.PI * _cadence / 60);
        return seconds < HeelStrikeSeconds ? Math.Sin(Math.PI * seconds / HeelStrikeSeconds) : 0;
    }
}
