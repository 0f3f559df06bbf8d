using System.Numerics;
using PostureSense.FirmwareSim.Strap;

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
    /// <summary>How that seat moves during the day (the strap creeping or shifting); none unless the scenario says.</summary>
    public StrapSlip Strap { get; init; } = StrapSlip.None;
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
    /// <summary>
    /// Accelerometer zero-g offset per axis, g (datasheet: up to ±50 mg on X and Y, ±80 mg on Z):
    /// the board reads <c>(1 + <see cref="AccelScaleError"/>) · true + offset</c>.
    /// </summary>
    public Vector3 AccelOffsetG { get; init; }
    /// <summary>Accelerometer sensitivity error per axis, a fraction (datasheet: up to ±3%).</summary>
    public Vector3 AccelScaleError { get; init; }
    /// <summary>How the accelerometer offset moves with temperature, g per °C (datasheet: about ±0.35 mg/°C on X and Y, ±0.75 on Z).</summary>
    public Vector3 AccelOffsetDriftGPerC { get; init; }
    public int Seed { get; init; } = 1;

    /// <summary>The accelerometer offset at <paramref name="sinceStart"/>, g, drifted with the temperature.</summary>
    public Vector3 AccelOffsetAt(TimeSpan sinceStart) =>
        AccelOffsetDriftGPerC == Vector3.Zero ? AccelOffsetG : AccelOffsetG + AccelOffsetDriftGPerC * (float)(TemperatureAt(sinceStart) - TemperatureC);

    /// <summary>
    /// This board with accelerometer errors drawn from its <see cref="Seed"/>, uniformly within the
    /// datasheet's ranges, as a batch of real boards would have them.
    /// </summary>
    public SensorCharacteristics WithSeededAccelErrors()
    {
        var random = new Random(unchecked(Seed * 7919 + 104729));
        float Within(double limit) => (float)((random.NextDouble() * 2 - 1) * limit);
        return this with
        {
            AccelOffsetG = new Vector3(Within(MaxAccelOffsetXyG), Within(MaxAccelOffsetXyG), Within(MaxAccelOffsetZG)),
            AccelScaleError = new Vector3(Within(MaxAccelScaleError), Within(MaxAccelScaleError), Within(MaxAccelScaleError)),
        };
    }

    /// <summary>The datasheet's zero-g offset tolerance on X and Y, g.</summary>
    public const double MaxAccelOffsetXyG = 0.05;
    /// <summary>The datasheet's zero-g offset tolerance on Z, g.</summary>
    public const double MaxAccelOffsetZG = 0.08;
    /// <summary>The datasheet's sensitivity tolerance, a fraction.</summary>
    public const double MaxAccelScaleError = 0.03;

    /// <summary>Die temperature after the board has been running for <paramref name="sinceStart"/>.</summary>
    public double TemperatureAt(TimeSpan sinceStart) =>
        WarmUpC == 0 ? TemperatureC : TemperatureC + WarmUpC * (1 - Math.Exp(-sinceStart.TotalSeconds / WarmUpTime.TotalSeconds));

    /// <summary>The gyro offset at <paramref name="sinceStart"/>, °/s, drifted with the temperature.</summary>
    public Vector3 GyroBiasAt(TimeSpan sinceStart) =>
        GyroBiasDriftDpsPerC == Vector3.Zero ? GyroBiasDps : GyroBiasDps + GyroBiasDriftDpsPerC * (float)(TemperatureAt(sinceStart) - TemperatureC);

    /// <summary>No noise, no bias, nominal mounting: raw values are exact functions of the posture.</summary>
    public static SensorCharacteristics Ideal { get; } = new() { AccelNoiseG = 0, GyroNoiseDps = 0, GyroBiasDps = Vector3.Zero };
}
