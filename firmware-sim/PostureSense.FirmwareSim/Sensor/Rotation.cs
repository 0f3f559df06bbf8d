namespace PostureSense.FirmwareSim.Sensor;

/// <summary>A 3×3 rotation in doubles (System.Numerics is float; finite-difference gyro rates need the precision).</summary>
internal readonly struct Rotation
{
    readonly double _m00, _m01, _m02, _m10, _m11, _m12, _m20, _m21, _m22;

    Rotation(double m00, double m01, double m02, double m10, double m11, double m12, double m20, double m21, double m22)
    {
        _m00 = m00; _m01 = m01; _m02 = m02;
        _m10 = m10; _m11 = m11; _m12 = m12;
        _m20 = m20; _m21 = m21; _m22 = m22;
    }

    const double DegToRad = Math.PI / 180;

    public static Rotation Identity => new(1, 0, 0, 0, 1, 0, 0, 0, 1);

    /// <summary>
    /// World (X forward, Y left, Z up) to sensor axes for an upright wearer: sensor X is up,
    /// Y is left, Z points backward, away from the body.
    /// </summary>
    public static Rotation WorldToUprightSensor => new(0, 0, 1, 0, 1, 0, -1, 0, 0);

    /// <summary>
    /// The trunk tilt in sensor axes, chosen so that the upright "up" (1, 0, 0) becomes
    /// TrunkTilt.UpInSensor(pitch, roll) = (cos p cos r, sin r, sin p cos r): roll about Z, then pitch about Y.
    /// </summary>
    public static Rotation Tilt(double pitchDeg, double rollDeg) => AboutY(pitchDeg) * AboutZ(rollDeg);

    /// <summary>Turns X toward Z (the sense in which a forward pitch moves "up").</summary>
    public static Rotation AboutY(double deg)
    {
        double c = Math.Cos(deg * DegToRad), s = Math.Sin(deg * DegToRad);
        return new(c, 0, -s, 0, 1, 0, s, 0, c);
    }

    /// <summary>Turns X toward Y.</summary>
    public static Rotation AboutZ(double deg)
    {
        double c = Math.Cos(deg * DegToRad), s = Math.Sin(deg * DegToRad);
        return new(c, -s, 0, s, c, 0, 0, 0, 1);
    }

    /// <summary>Turns Y toward Z.</summary>
    public static Rotation AboutX(double deg)
    {
        double c = Math.Cos(deg * DegToRad), s = Math.Sin(deg * DegToRad);
        return new(1, 0, 0, 0, c, -s, 0, s, c);
    }

    public Rotation Transpose() => new(_m00, _m10, _m20, _m01, _m11, _m21, _m02, _m12, _m22);

    public static Rotation operator *(Rotation a, Rotation b) => new(
        a._m00 * b._m00 + a._m01 * b._m10 + a._m02 * b._m20,
        a._m00 * b._m01 + a._m01 * b._m11 + a._m02 * b._m21,
        a._m00 * b._m02 + a._m01 * b._m12 + a._m02 * b._m22,
        a._m10 * b._m00 + a._m11 * b._m10 + a._m12 * b._m20,
        a._m10 * b._m01 + a._m11 * b._m11 + a._m12 * b._m21,
        a._m10 * b._m02 + a._m11 * b._m12 + a._m12 * b._m22,
        a._m20 * b._m00 + a._m21 * b._m10 + a._m22 * b._m20,
        a._m20 * b._m01 + a._m21 * b._m11 + a._m22 * b._m21,
        a._m20 * b._m02 + a._m21 * b._m12 + a._m22 * b._m22);

    public (double X, double Y, double Z) Apply(double x, double y, double z) => (
        _m00 * x + _m01 * y + _m02 * z,
        _m10 * x + _m11 * y + _m12 * z,
        _m20 * x + _m21 * y + _m22 * z);

    /// <summary>
    /// The angular rate (rad/s, in the frame this rotation maps into) of a frame whose
    /// world-to-frame rotation went from <paramref name="before"/> to <paramref name="after"/> in
    /// <paramref name="seconds"/>. A world-fixed vector seen from a frame turning at ω turns at -ω,
    /// so D = after·beforeᵀ = exp(-[ω]× dt); the axis-angle of D gives ω exactly for a constant rate.
    /// </summary>
    public static (double X, double Y, double Z) AngularRate(Rotation before, Rotation after, double seconds)
    {
        var d = after * before.Transpose();
        double ax = d._m12 - d._m21, ay = d._m20 - d._m02, az = d._m01 - d._m10;
        var sinTimes2 = Math.Sqrt(ax * ax + ay * ay + az * az);
        var cos = (d._m00 + d._m11 + d._m22 - 1) / 2;
        var angle = Math.Atan2(sinTimes2 / 2, cos);
        if (sinTimes2 < 1e-15) return (0, 0, 0);
        var k = angle / sinTimes2 / seconds;
        return (ax * k, ay * k, az * k);
    }
}
