using System.Numerics;

namespace PostureSense.Agent.Fusion;

/// <summary>
/// What this accelerometer reads for 1 g while the board is still, learnt slowly from still
/// samples. An uncalibrated MPU-6050 reads gravity as 0.9-1.1 g; without this, that error is
/// taken for motion (sitting looks like walking) and for vertical acceleration. Calibrated
/// boards read about 1 g and are left as they are.
/// </summary>
public sealed class OneGReference(double sampleRateHz, double timeConstantSeconds = 10)
{
    // Still: the gyro barely turns and the reading is near what was learnt.
    const float StillDps = 8f, StillBandG = 0.04f;
    // Never farther than a real chip's sensitivity and offset could put it.
    const float MinG = 0.85f, MaxG = 1.15f;

    readonly float _alpha = (float)(1 / (sampleRateHz * timeConstantSeconds));
    bool _learning = true;

    /// <summary>The learnt 1 g, in the board's units.</summary>
    public float Value { get; private set; } = 1f;

    /// <summary>The sample scaled so that the learnt 1 g reads 1 g.</summary>
    public Vector3 Normalize(Vector3 accelG, Vector3 rateDps)
    {
        var norm = accelG.Length();
        if (rateDps.Length() < StillDps && norm is > MinG and < MaxG)
        {
            // The first still samples take it quickly to where the chip is; then only slowly.
            if (_learning && Math.Abs(norm - Value) >= StillBandG) Value += (norm - Value) * 0.1f;
            else if (Math.Abs(norm - Value) < StillBandG)
            {
                _learning = false;
                Value += (norm - Value) * _alpha;
            }
        }
        return accelG / Value;
    }
}
