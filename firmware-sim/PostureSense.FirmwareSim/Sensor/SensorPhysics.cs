using System.Numerics;
using PostureSense.FirmwareSim.Wearer;

namespace PostureSense.FirmwareSim.Sensor;

/// <summary>One sample as the sensing elements see it, before scaling to raw counts.</summary>
internal readonly record struct PhysicalSample(double Ax, double Ay, double Az, double Gx, double Gy, double Gz, double TemperatureC);

/// <summary>
/// Turns the wearer's posture into what the board measures: specific force (up + linear
/// acceleration, in sensor axes, g), angular rate of the sensor frame (°/s) and temperature,
/// with the board's mounting, bias and noise applied.
/// </summary>
internal sealed class SensorPhysics(IWearerModel wearer, SensorCharacteristics sensor)
{
    const double RadToDeg = 180 / Math.PI;
    readonly Rotation _mounting =
        Rotation.Tilt(sensor.MountingPitchDeg, sensor.MountingRollDeg) * Rotation.AboutX(sensor.MountingYawDeg);
    readonly bool _strapMoves = !sensor.Strap.IsNone;

    public SensorCharacteristics Sensor => sensor;

    /// <param name="sinceStart">Scenario time of the sample.</param>
    /// <param name="period">The sample period: the gyro reads the mean rate since the previous sample.</param>
    public PhysicalSample At(TimeSpan sinceStart, TimeSpan period)
    {
        var state = wearer.At(sinceStart);
        var bodyToSensor = BodyToSensor(state, sinceStart);
        var worldToSensor = WorldToSensor(state, bodyToSensor);

        // Specific force: the accelerometer feels "up" at 1 g plus the body's own acceleration,
        // both given in the wearer's own level frame: which way they face changes neither.
        var a = state.LinearAccelG;
        var (ax, ay, az) = bodyToSensor.Apply(a.X, a.Y, 1 + a.Z);

        var before = sinceStart - period;
        // A strap shifting turns the board like any movement of the trunk: the gyro sees it.
        var previous = worldToSensor;
        if (before >= TimeSpan.Zero)
        {
            var then = wearer.At(before);
            previous = WorldToSensor(then, BodyToSensor(then, before));
        }
        var (wx, wy, wz) = Rotation.AngularRate(previous, worldToSensor, period.TotalSeconds);

        var ticks = sinceStart.Ticks;
        var seed = sensor.Seed;
        var bias = sensor.GyroBiasAt(sinceStart);
        // The chip's own errors: sensitivity and zero-g offset per axis, before its noise.
        var offset = sensor.AccelOffsetAt(sinceStart);
        var scale = Vector3.One + sensor.AccelScaleError;
        return new PhysicalSample(
            ax * scale.X + offset.X + sensor.AccelNoiseG * SeededNoise.Gaussian(seed, ticks, 0),
            ay * scale.Y + offset.Y + sensor.AccelNoiseG * SeededNoise.Gaussian(seed, ticks, 1),
            az * scale.Z + offset.Z + sensor.AccelNoiseG * SeededNoise.Gaussian(seed, ticks, 2),
            wx * RadToDeg + bias.X + sensor.GyroNoiseDps * SeededNoise.Gaussian(seed, ticks, 3),
            wy * RadToDeg + bias.Y + sensor.GyroNoiseDps * SeededNoise.Gaussian(seed, ticks, 4),
            wz * RadToDeg + bias.Z + sensor.GyroNoiseDps * SeededNoise.Gaussian(seed, ticks, 5),
            sensor.TemperatureAt(sinceStart));
    }

    // The twist turns the trunk about its own long axis last, so the gyro sees its rate about that
    // axis, and "up" seen from the trunk tilts toward the side it turned to. No twist, no extra
    // rotation: the numbers stay exactly what they were.
    Rotation BodyToSensor(in WearerState state, TimeSpan sinceStart)
    {
        var mounting = _strapMoves ? MountingAt(sinceStart) : _mounting;
        return state.TwistDeg == 0
            ? mounting * Rotation.Tilt(state.PitchDeg, state.RollDeg) * Rotation.WorldToUprightSensor
            : mounting * Rotation.AboutX(-state.TwistDeg) * Rotation.Tilt(state.PitchDeg, state.RollDeg) * Rotation.WorldToUprightSensor;
    }

    // The slip adds to the board's seat on the trunk; the trunk itself is where the wearer holds it.
    Rotation MountingAt(TimeSpan sinceStart)
    {
        var (pitch, roll) = sensor.Strap.At(sinceStart);
        return Rotation.Tilt(sensor.MountingPitchDeg + pitch, sensor.MountingRollDeg + roll) * Rotation.AboutX(sensor.MountingYawDeg);
    }

    // Facing turns the whole body about the vertical first (world to the wearer's level frame), so
    // the gyro sees a turn or a swivel about gravity, whatever the trunk's tilt: a hunched wearer
    // swivelling reads the rate partly about the board's X, partly about its Z.
    static Rotation WorldToSensor(in WearerState state, Rotation bodyToSensor) => state.HeadingDeg == 0
        ? bodyToSensor
        : bodyToSensor * Rotation.AboutZ(-state.HeadingDeg);
}
