using System.Numerics;
using System.Text.Json;
using PostureSense.FirmwareSim.Sensor;
using static PostureSense.FirmwareSim.Scenarios.ScenarioJson;

namespace PostureSense.FirmwareSim.Scenarios;

/// <summary>
/// Reads a scenario's <c>"sensor"</c>: how this wearer's board sits on the back and how good a
/// chip it is. The bounds are the MPU-6050 datasheet's (gyro offset ±20 °/s) or what a board
/// still worn on the upper back can be (mounted up to 45° off).
/// </summary>
internal static class SensorParser
{
    static readonly string[] Fields =
    [
        "mountingPitch", "mountingRoll", "mountingYaw", "accelNoiseG", "gyroNoiseDps", "gyroBiasDps",
        "temperatureC", "warmUpC", "warmUpMinutes", "biasDriftDpsPerC", "seed",
        "accelOffsetG", "accelScaleError", "accelDriftGPerC",
    ];

    /// <summary>
    /// The scenario's board; without a "sensor" object, a typical one, seeded from the scenario.
    /// Every board carries accelerometer offset and sensitivity errors drawn from its seed
    /// (within the datasheet's ranges) unless the scenario gives them.
    /// </summary>
    public static SensorCharacteristics Parse(JsonElement root, int scenarioSeed, string source)
    {
        var typical = new SensorCharacteristics { Seed = scenarioSeed }.WithSeededAccelErrors();
        if (!root.TryGetProperty("sensor", out var e)) return typical;
        const string where = "sensor";
        if (e.ValueKind != JsonValueKind.Object) throw Fail(source, "\"sensor\" must be an object");
        CheckFields(e, Fields, source, where);
        var board = typical with
        {
            MountingPitchDeg = InRange(e, "mountingPitch", 0, -45, 45, " degrees", source, where),
            MountingRollDeg = InRange(e, "mountingRoll", 0, -45, 45, " degrees", source, where),
            MountingYawDeg = InRange(e, "mountingYaw", 0, -30, 30, " degrees", source, where),
            AccelNoiseG = InRange(e, "accelNoiseG", typical.AccelNoiseG, 0, 0.05, " g", source, where),
            GyroNoiseDps = InRange(e, "gyroNoiseDps", typical.GyroNoiseDps, 0, 1, " °/s", source, where),
            GyroBiasDps = e.TryGetProperty("gyroBiasDps", out var b) ? Vector(b, "gyroBiasDps", 20, source) : typical.GyroBiasDps,
            TemperatureC = InRange(e, "temperatureC", typical.TemperatureC, -10, 60, " °C", source, where),
            WarmUpC = InRange(e, "warmUpC", 0, -20, 30, " °C", source, where),
            WarmUpTime = TimeSpan.FromMinutes(InRange(e, "warmUpMinutes", typical.WarmUpTime.TotalMinutes, 1, 240, " min", source, where)),
            GyroBiasDriftDpsPerC = e.TryGetProperty("biasDriftDpsPerC", out var d) ? Vector(d, "biasDriftDpsPerC", 0.5, source) : Vector3.Zero,
            Seed = e.TryGetProperty("seed", out var s) ? Int(s, "seed", source, where) : scenarioSeed,
        };
        // A board seeded apart from the scenario draws its own errors; given ones win.
        if (board.Seed != scenarioSeed) board = board.WithSeededAccelErrors();
        return board with
        {
            AccelOffsetG = e.TryGetProperty("accelOffsetG", out var o) ? Vector(o, "accelOffsetG", SensorCharacteristics.MaxAccelOffsetZG, source) : board.AccelOffsetG,
            AccelScaleError = e.TryGetProperty("accelScaleError", out var k) ? Vector(k, "accelScaleError", SensorCharacteristics.MaxAccelScaleError, source) : board.AccelScaleError,
            AccelOffsetDriftGPerC = e.TryGetProperty("accelDriftGPerC", out var t) ? Vector(t, "accelDriftGPerC", 0.002, source) : Vector3.Zero,
        };
    }

    static Vector3 Vector(JsonElement v, string field, double limit, string source)
    {
        var n = Numbers(v, field, -limit, limit, source, "sensor");
        return n.Length == 3 ? new Vector3((float)n[0], (float)n[1], (float)n[2]) : throw Fail(source, $"sensor: \"{field}\" needs 3 numbers (X, Y, Z), not {n.Length}");
    }
}
