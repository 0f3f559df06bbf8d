using System.Numerics;

namespace PostureSense.Agent.Fusion;

/// <summary>
/// What sitting still and upright for a few seconds tells us: the gyro's offset, and how the
/// board sits on this wearer's back. <see cref="Mounting"/> is the smallest rotation taking the
/// measured upright "up" to (1, 0, 0), so angles afterwards are relative to the wearer's upright.
/// </summary>
public readonly record struct Calibration(Vector3 UprightUp, Vector3 GyroBiasDps, Quaternion Mounting)
{
    public static Calibration None { get; } = new(Vector3.UnitX, Vector3.Zero, Quaternion.Identity);

    public static Calibration From(Vector3 meanAccelG, Vector3 meanGyroDps)
    {
        var up = Vector3.Normalize(meanAccelG);
        return new Calibration(up, meanGyroDps, MinimalRotation(up, Vector3.UnitX));
    }

    public Vector3 ToTrunk(Vector3 upInSensor) => Vector3.Transform(upInSensor, Mounting);

    static Quaternion MinimalRotation(Vector3 from, Vector3 to)
    {
        var dot = Math.Clamp(Vector3.Dot(from, to), -1f, 1f);
        var axis = Vector3.Cross(from, to);
        if (axis.LengthSquared() < 1e-12f)
            // Parallel: nothing to do; opposite: any half turn about a perpendicular axis.
            return dot > 0 ? Quaternion.Identity : Quaternion.CreateFromAxisAngle(Vector3.UnitZ, MathF.PI);
        return Quaternion.CreateFromAxisAngle(Vector3.Normalize(axis), MathF.Acos(dot));
    }
}

/// <summary>Averages samples over the calibration period.</summary>
internal sealed class CalibrationAccumulator(int samplesNeeded)
{
    Vector3 _accel, _gyro;
    int _count;

    public bool Add(Vector3 accelG, Vector3 gyroDps)
    {
        _accel += accelG;
        _gyro += gyroDps;
        return ++_count >= samplesNeeded;
    }

    public Calibration Result() => Calibration.From(_accel / _count, _gyro / _count);
}
