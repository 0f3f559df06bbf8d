using System.Numerics;

namespace PostureSense.Agent.Fusion;

/// <summary>
/// Complementary filter on the direction of gravity in sensor axes: the gyro turns the estimate
/// from sample to sample (smooth, but drifts), the accelerometer pulls it back a little each
/// sample while it reads close to 1 g (noisy and disturbed by motion, but never drifts).
/// </summary>
public sealed class GravityFilter(double sampleRateHz, float accelWeight = 0.02f)
{
    const float DegToRad = MathF.PI / 180;
    // Outside this band the accelerometer is measuring the wearer's motion more than gravity.
    const float MinTrustedG = 0.85f, MaxTrustedG = 1.15f;

    readonly float _dt = (float)(1 / sampleRateHz);
    bool _initialized;

    /// <summary>Unit vector pointing up, in sensor axes.</summary>
    public Vector3 Up { get; private set; } = Vector3.UnitX;

    /// <summary>Gyro offset removed from every sample, °/s (from calibration).</summary>
    public Vector3 GyroBiasDps { get; set; }

    public void Reset(Vector3 up)
    {
        Up = Vector3.Normalize(up);
        _initialized = true;
    }

    public void Update(Vector3 accelG, Vector3 gyroDps)
    {
        var norm = accelG.Length();
        if (!_initialized)
        {
            if (norm > 0) Reset(accelG);
            return;
        }
        // A world-fixed vector seen from a frame turning at w turns at -w: dv/dt = v x w.
        var w = (gyroDps - GyroBiasDps) * (DegToRad * _dt);
        var up = Up + Vector3.Cross(Up, w);
        if (norm is > MinTrustedG and < MaxTrustedG)
            up = Vector3.Lerp(Vector3.Normalize(up), accelG / norm, accelWeight);
        Up = Vector3.Normalize(up);
    }
}
