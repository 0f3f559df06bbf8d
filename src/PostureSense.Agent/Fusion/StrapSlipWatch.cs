using System.Numerics;
using PostureSense.Core.Posture;

namespace PostureSense.Agent.Fusion;

/// <summary>
/// Notices the board slipping on the back during the day and takes it out of the pitch, slowly
/// and within bounds. The gyro sees a strap shifting as a turn like any other, so no single
/// moment can tell a slip from the trunk moving. Walking can: gait holds the trunk near upright
/// and much the same way every time, so the pitch a walk reads is a mark of where the board sits.
/// <list type="bullet">
/// <item>The first <see cref="BaselineBouts"/> walks after a calibration (each at least
/// <see cref="MinBoutSeconds"/> of steps) set the wearer's walking pitch: their median.</item>
/// <item>Every later walk is compared with it. Only when the last <see cref="AgreeingBouts"/>
/// walks agree (within <see cref="AgreeSpreadDeg"/> of each other) and their median is off by at
/// least <see cref="ActDeg"/> is the reference moved, by that median, at most
/// <see cref="MaxRezeroDeg"/>, and at <see cref="RezeroDegPerMinute"/>. One odd walk (stairs,
/// carrying a box) moves nothing; walks that agree near the baseline take the correction back.</item>
/// <item>Walks that agree on more than <see cref="MaxRezeroDeg"/> are a board that moved too far
/// to guess: the correction stops at the bound and the wearer is asked to calibrate again.</item>
/// </list>
/// A false buzz costs more than a missed one, so everything here waits for agreement rather than
/// acting on one walk. Single-threaded, with the processor.
/// </summary>
public sealed class StrapSlipWatch
{
    public const int BaselineBouts = 3;
    public const int AgreeingBouts = 3;
    /// <summary>A walk shorter than this (seconds with steps) is a few steps across the room, not a gait to judge.</summary>
    public const int MinBoutSeconds = 40;
    /// <summary>The first and last seconds of a walk are getting up and slowing down, not gait.</summary>
    public const int EdgeSeconds = 5;
    /// <summary>Seconds without steps a walk may have and go on (a slow walk steps less than once a second; a door).</summary>
    public const int MaxGapSeconds = 3;
    public const double AgreeSpreadDeg = 3;
    /// <summary>Walks differ by a degree or two anyway (pace, mood, a bag): below this, no slip.</summary>
    public const double ActDeg = 2.5;
    public const double MaxRezeroDeg = 6;
    /// <summary>How fast the correction moves: a held posture never jumps across the threshold because of it.</summary>
    public const double RezeroDegPerMinute = 1;
    /// <summary>Walking reads within a few degrees of the calibrated upright; anything past this is no gait.</summary>
    public const double MaxBaselineDeg = 30;

    // A second with steps and the motion of walking, as the sitting rule counts walking.
    const double WalkingMotionG = 0.05;

    readonly List<double> _bout = [];
    int _gap;
    readonly List<double> _baselineBouts = [];
    readonly Queue<double> _recent = new();

    /// <summary>The wearer's walking pitch since calibration, degrees from the calibrated upright; null until learnt.</summary>
    public double? BaselineDeg { get; private set; }
    /// <summary>Where the correction is heading, degrees (positive: the board slipped forward; pitch reads this much high).</summary>
    public double TargetDeg { get; private set; }
    /// <summary>The correction taken out of the pitch now, degrees; follows <see cref="TargetDeg"/> slowly.</summary>
    public double AppliedDeg { get; private set; }
    /// <summary>The board moved further than a correction should cover: the wearer should calibrate again.</summary>
    public bool RecalibrationAdvised { get; private set; }

    /// <summary>A new calibration: the board sits where the wearer's upright says; everything is learnt afresh.</summary>
    public void Reset()
    {
        _bout.Clear();
        _gap = 0;
        _baselineBouts.Clear();
        _recent.Clear();
        BaselineDeg = null;
        TargetDeg = AppliedDeg = 0;
        RecalibrationAdvised = false;
    }

    /// <summary>
    /// Takes up a walking pitch learnt earlier with the calibration in use (saved with it), so a
    /// restart does not need three more walks before a slip can be seen. The correction itself
    /// starts from zero: a restart is often the board taken off and put back on, which the walks
    /// will tell afresh.
    /// </summary>
    public void RestoreBaseline(double walkingPitchDeg)
    {
        if (!IsWalkingPitch(walkingPitchDeg))
            throw new ArgumentOutOfRangeException(nameof(walkingPitchDeg), walkingPitchDeg, $"a walking pitch is within ±{MaxBaselineDeg}° of the upright");
        Reset();
        BaselineDeg = walkingPitchDeg;
    }

    /// <summary>Whether <paramref name="deg"/> could be a walking pitch: a finite angle within <see cref="MaxBaselineDeg"/> of the upright.</summary>
    public static bool IsWalkingPitch(double deg) => double.IsFinite(deg) && Math.Abs(deg) <= MaxBaselineDeg;

    /// <summary>One 1 s frame as sent (its pitch with <see cref="AppliedDeg"/> already taken out).</summary>
    /// <returns>What the watch concluded when a walk ended and changed its mind; null otherwise.</returns>
    public StrapSlipVerdict? Observe(PostureFrame frame)
    {
        // The pitch as the board reads it, without the correction: walks are compared as read.
        var read = frame.Pitch + AppliedDeg;
        var step = RezeroDegPerMinute / 60;
        AppliedDeg += Math.Clamp(TargetDeg - AppliedDeg, -step, step);

        if (frame.Steps > 0 && frame.Motion >= WalkingMotionG)
        {
            _bout.Add(read);
            _gap = 0;
            return null;
        }
        if (_bout.Count == 0 || ++_gap <= MaxGapSeconds) return null;
        var walk = _bout.Count >= MinBoutSeconds ? Median(_bout.Skip(EdgeSeconds).Take(_bout.Count - 2 * EdgeSeconds)) : (double?)null;
        _bout.Clear();
        return walk is { } pitch ? Judge(pitch) : null;
    }

    StrapSlipVerdict? Judge(double walkPitch)
    {
        if (BaselineDeg is not { } baseline)
        {
            _baselineBouts.Add(walkPitch);
            if (_baselineBouts.Count < BaselineBouts) return null;
            BaselineDeg = Median(_baselineBouts);
            return new StrapSlipVerdict(walkPitch, BaselineDeg.Value, [], TargetDeg, Learnt: true, AskRecalibration: false);
        }

        _recent.Enqueue(walkPitch - baseline);
        if (_recent.Count > AgreeingBouts) _recent.Dequeue();
        if (_recent.Count < AgreeingBouts || _recent.Max() - _recent.Min() > AgreeSpreadDeg) return null;

        var off = Median(_recent);
        var target = Math.Abs(off) < ActDeg ? 0 : Math.Clamp(off, -MaxRezeroDeg, MaxRezeroDeg);
        var ask = Math.Abs(off) > MaxRezeroDeg;
        var changed = Math.Abs(target - TargetDeg) >= 0.5 || (ask && !RecalibrationAdvised);
        if (!changed) return null;
        TargetDeg = target;
        RecalibrationAdvised |= ask;
        return new StrapSlipVerdict(walkPitch, baseline, [.. _recent], TargetDeg, Learnt: false, AskRecalibration: ask);
    }

    /// <summary>"Up" in the trunk's axes with the board's slip taken out: turned back about the trunk's lateral axis.</summary>
    public static Vector3 Rezero(Vector3 upInTrunk, double slipDeg)
    {
        if (slipDeg == 0) return upInTrunk;
        var (sin, cos) = Math.SinCos(slipDeg * Math.PI / 180);
        return new Vector3(
            (float)(upInTrunk.X * cos + upInTrunk.Z * sin),
            upInTrunk.Y,
            (float)(upInTrunk.Z * cos - upInTrunk.X * sin));
    }

    static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        var mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }
}

/// <summary>What <see cref="StrapSlipWatch"/> concluded at the end of a walk.</summary>
/// <param name="WalkPitchDeg">The walk's pitch as the board read it, degrees from the calibrated upright.</param>
/// <param name="BaselineDeg">The wearer's walking pitch learnt after calibration.</param>
/// <param name="OffDeg">How far each of the agreeing walks read from the baseline (empty when only the baseline was learnt).</param>
/// <param name="TargetDeg">The correction now heading for, degrees (positive: the board slipped forward).</param>
/// <param name="Learnt">This walk completed the baseline.</param>
/// <param name="AskRecalibration">The walks agree on a slip beyond what the correction covers.</param>
public sealed record StrapSlipVerdict(double WalkPitchDeg, double BaselineDeg, double[] OffDeg, double TargetDeg, bool Learnt, bool AskRecalibration);
