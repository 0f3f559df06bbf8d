using System.Numerics;

namespace PostureSense.FirmwareSim.Wearer.Motions;

/// <summary>
/// Hands at the keyboard and mouse: the arms' work jiggles the shoulder blades, and the board
/// lying on them, in bursts with pauses (reading, thinking) of 1-8 s between.
/// <list type="bullet">
/// <item>Typing, 2-12 s at a time: keystrokes at 3-7 a second rock the board a few tenths of a
/// degree every way, with a few thousandths of a g of shake.</item>
/// <item>Mousing, 1-5 s at a time: the arm's sweeps at 1-3 a second turn the shoulder girdle up to
/// 1.5° about the spine and sideways, less forward, about a hundredth of a g.</item>
/// </list>
/// Fast but small and centred on the posture held: the gyro sees tens of degrees a second in a
/// burst, the posture itself does not change, and the shake stays far below a step.
/// </summary>
internal sealed class Typing : IMotion
{
    readonly record struct Burst(double Start, double Length, double Hz1, double Hz2, double Phase1, double Phase2,
        double PitchDeg, double RollDeg, double TwistDeg, double ShakeG);

    /// <summary>Hands settle onto the keys or the mouse, and leave them, over this long.</summary>
    const double EdgeSeconds = 0.3;
    const double MouseShare = 0.35;

    readonly Burst[] _bursts;

    public Typing(double segmentSeconds, Random random)
    {
        var bursts = new List<Burst>();
        var t = random.NextDouble() * 3;
        while (t < segmentSeconds)
        {
            double U() => random.NextDouble();
            var mouse = U() < MouseShare;
            var length = mouse ? 1 + U() * 4 : 2 + U() * 10;
            var burst = mouse
                ? new Burst(t, length, 1 + U() * 2, 1.5 + U() * 1.5, U() * 2 * Math.PI, U() * 2 * Math.PI,
                    PitchDeg: 0.2 + U() * 0.4, RollDeg: 0.5 + U(), TwistDeg: 0.5 + U(), ShakeG: 0.005 + U() * 0.01)
                : new Burst(t, length, 3 + U() * 4, 4 + U() * 3, U() * 2 * Math.PI, U() * 2 * Math.PI,
                    PitchDeg: 0.1 + U() * 0.3, RollDeg: 0.1 + U() * 0.3, TwistDeg: 0.1 + U() * 0.3, ShakeG: 0.003 + U() * 0.007);
            bursts.Add(burst);
            t += length + 1 + U() * 7;
        }
        _bursts = [.. bursts];
    }

    /// <summary>Whether the hands are at work at this instant (seconds into the segment).</summary>
    public bool Busy(double into) => BurstAt(into) is not null;

    public void Apply(double into, double t, ref Pose pose)
    {
        if (BurstAt(into) is not { } b) return;
        var x = into - b.Start;
        var envelope = Ease.Plateau(x, 0, EdgeSeconds, b.Length, EdgeSeconds);
        var w1 = Math.Sin(2 * Math.PI * b.Hz1 * x + b.Phase1);
        var w2 = Math.Sin(2 * Math.PI * b.Hz2 * x + b.Phase2);
        pose.PitchDeg += envelope * b.PitchDeg * (0.6 * w1 + 0.4 * w2);
        pose.RollDeg += envelope * b.RollDeg * (0.4 * w1 + 0.6 * w2);
        pose.TwistDeg += envelope * b.TwistDeg * w1;
        pose.AccelG += new Vector3((float)(envelope * b.ShakeG * w2), (float)(envelope * b.ShakeG * w1), (float)(envelope * b.ShakeG * 0.5 * w2));
    }

    Burst? BurstAt(double into)
    {
        int lo = 0, hi = _bursts.Length - 1, found = -1;
        while (lo <= hi)
        {
            var mid = (lo + hi) / 2;
            if (_bursts[mid].Start <= into) { found = mid; lo = mid + 1; } else hi = mid - 1;
        }
        return found >= 0 && into < _bursts[found].Start + _bursts[found].Length ? _bursts[found] : null;
    }
}
