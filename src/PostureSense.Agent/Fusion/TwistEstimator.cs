using System.Numerics;

namespace PostureSense.Agent.Fusion;

/// <summary>
/// How far the upper trunk is turned about its own long axis (to a side monitor, say), from the
/// gyro alone: gravity does not change when the trunk turns about it, and the board has no
/// magnetometer. Integrated rates drift, and a drifted twist would read a sideways lean as a hunch,
/// so every bound here errs toward a twist of zero (the plain pitch, a missed hunch at worst):
/// <list type="bullet">
/// <item>the gyro's leftover offset about the axis is learnt while the wearer is still, and rates
/// below <see cref="DeadbandDps"/> are not integrated at all: a turn runs at 10-90 °/s, drift at
/// well under 1 °/s;</item>
/// <item>the twist is clamped to ±<see cref="MaxTwistDeg"/>, about as far as a spine turns;</item>
/// <item>it fades toward zero with a <see cref="FadeTimeConstant"/> time constant, so whatever
/// error it gathered does not last the day;</item>
/// <item>a step ends it: walking, the shoulders face where the feet go;</item>
/// <item>one movement that turns further than <see cref="WholeBodyTurnDeg"/> is no spine's: it is
/// the whole body turning (a swivel chair, a turn on the feet), which leaves the trunk facing the
/// way the body does, so it ends the twist and the rest of that movement is not integrated.</item>
/// </list>
/// While the trunk is upright a twist and a whole-body turn are the same rotation about the same
/// axis to the board; only their size tells them apart. A chair swivelled less than
/// <see cref="WholeBodyTurnDeg"/> is read as a twist, which <see cref="TwistedFlexion"/> then
/// uses only where the trunk's tilt agrees with it.
/// Positive: turned to the wearer's left (right-handed about "up").
/// </summary>
public sealed class TwistEstimator(double sampleRateHz)
{
    /// <summary>About the furthest a seated trunk turns about its axis (thoracic and lumbar together).</summary>
    public const double MaxTwistDeg = 50;
    /// <summary>Rates about the axis below this, after the learnt offset, are taken for drift and noise.</summary>
    public const double DeadbandDps = 1.0;
    /// <summary>Stillness: the whole rate below this.</summary>
    public const double StillDps = 3.0;
    /// <summary>How fast a twist fades: a wearer turned to a side monitor for 5 min keeps about 85% of it.</summary>
    public static readonly TimeSpan FadeTimeConstant = TimeSpan.FromMinutes(30);
    /// <summary>How fast the leftover offset follows the still gyro.</summary>
    static readonly TimeSpan OffsetTimeConstant = TimeSpan.FromSeconds(20);
    /// <summary>
    /// A single movement turning further than this is the whole body: thoracic and lumbar rotation
    /// together reach about 50° seated, and a gait turn or a swivel of the chair is 90° or more.
    /// </summary>
    public const double WholeBodyTurnDeg = 70;
    /// <summary>A movement ends once the rate about the axis has stayed within the deadband this long.</summary>
    static readonly TimeSpan MovementEnd = TimeSpan.FromSeconds(0.3);

    readonly double _dt = 1 / sampleRateHz;
    readonly double _fade = Math.Exp(-1 / (sampleRateHz * FadeTimeConstant.TotalSeconds));
    readonly double _offsetAlpha = 1 / (sampleRateHz * OffsetTimeConstant.TotalSeconds);
    readonly int _movementEndSamples = Math.Max(1, (int)Math.Round(sampleRateHz * MovementEnd.TotalSeconds));
    // The movement under way: how far it has turned, how long it has been quiet, and whether it is the whole body.
    double _movementDeg;
    int _quietSamples;
    bool _wholeBody;

    /// <summary>The twist, degrees, positive to the left.</summary>
    public double TwistDeg { get; private set; }

    /// <summary>The gyro's leftover offset about the trunk's axis, °/s, after the calibrated bias.</summary>
    public double ResidualOffsetDps { get; private set; }

    /// <summary>Facing forward again: after a walk, a new calibration.</summary>
    public void Reset()
    {
        TwistDeg = 0;
        EndMovement();
    }

    void EndMovement()
    {
        _movementDeg = 0;
        _quietSamples = 0;
        _wholeBody = false;
    }

    /// <param name="rateDps">The gyro reading with the calibrated bias taken out, sensor axes.</param>
    /// <param name="trunkAxis">The trunk's long axis in sensor axes (the calibrated "up"), unit length.</param>
    /// <param name="still">The accelerometer says the board is not moving (about 1 g, no motion).</param>
    /// <param name="step">A step was detected on this sample.</param>
    public void Update(Vector3 rateDps, Vector3 trunkAxis, bool still, bool step)
    {
        if (step)
        {
            TwistDeg = 0;
            EndMovement();
            return;
        }
        var axial = Vector3.Dot(rateDps, trunkAxis) - ResidualOffsetDps;
        if (still && rateDps.Length() < StillDps) ResidualOffsetDps += axial * _offsetAlpha;
        var twist = TwistDeg * _fade;
        if (Math.Abs(axial) > DeadbandDps)
        {
            _quietSamples = 0;
            _movementDeg += axial * _dt;
            if (Math.Abs(_movementDeg) > WholeBodyTurnDeg) _wholeBody = true;
            twist = _wholeBody ? 0 : twist + axial * _dt;
        }
        else if (++_quietSamples >= _movementEndSamples)
        {
            EndMovement();
        }
        TwistDeg = Math.Clamp(twist, -MaxTwistDeg, MaxTwistDeg);
    }
}
