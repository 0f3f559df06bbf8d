using System.Numerics;

namespace PostureSense.FirmwareSim.Sensor;

/// <summary>
/// The imperfections of one simulated board and how it sits on the back. Noise is drawn from
/// <see cref="Seed"/> and the sample time, so a run is reproducible whatever the read pattern.
/// </summary>
public sealed record SensorCharacteristics
{
    /// <summary>White noise on each accelerometer axis, RMS in g.</summary>
    public double AccelNoiseG { get; init; } = 0.004;
    /// <summary>White noise on each gyro axis, RMS in °/s.</summary>
    public double GyroNoiseDps { get; init; } = 0.05;
    /// <summary>Constant gyro offset per axis (sensor X, Y, Z), °/s: what the agent's bias calibration removes.</summary>
    public Vector3 GyroBiasDps { get; init; } = new(0.8f, -0.5f, 0.3f);
    /// <summary>Board tilted about its lateral (Y) axis, e.g. by the curve of the back; same sense as trunk pitch.</summary>
    public double MountingPitchDeg { get; init; }
    /// <summary>Board turned in the plane of the back (about its Z axis); same sense as trunk roll.</summary>
    public double MountingRollDeg { get; init; }
    /// <summary>Board twisted about the spine (its X axis); shows only once the trunk pitches.</summary>
    public double MountingYawDeg { get; init; }
    /// <summary>Die temperature when the device starts, °C.</summary>
    public double TemperatureC { get; init; } = 30;
    /// <summary>How much the board warms on the body after it starts, °C (negative: it cools).</summary>
    public double WarmUpC { get; init; }
    /// <summary>Time constant of that warming: about 63% of it after this long.</summary>
    public TimeSpan WarmUpTime { get; init; } = TimeSpan.FromMinutes(20);
    /// <summary>
    /// How the gyro offset moves with temperature, °/s per °C on each axis: the bias the agent
    /// measured while calibrating at start drifts as the board warms.
    /// </summary>
    public Vector3 GyroBiasDriftDpsPerC { get; init; }
    public int Seed { get; init; } = 1;

    /// <summary>Die temperature after the board has been running for <paramref name="sinceStart"/>.</summary>
    public double TemperatureAt(TimeSpan sinceStart) =>
        WarmUpC == 0 ? TemperatureC : TemperatureC + WarmUpC * (1 - Math.Exp(-sinceStart.TotalSeconds / WarmUpTime.TotalSeconds));

    /// <summary>The gyro offset at <paramref name="sinceStart"/>, °/s, drifted with the temperature.</summary>
    public Vector3 GyroBiasAt(TimeSpan sinceStart) =>
        GyroBiasDriftDpsPerC == Vector3.Zero ? GyroBiasDps : GyroBiasDps + GyroBiasDriftDpsPerC * (float)(TemperatureAt(sinceStart) - TemperatureC);

    /// <summary>No noise, no bias, nominal mounting: raw values are exact functions of the posture.</summary>
    public static SensorCharacteristics Ideal { get; } = new() { AccelNoiseG = 0, GyroNoiseDps = 0, GyroBiasDps = Vector3.Zero };
}
