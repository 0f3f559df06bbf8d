namespace PostureSense.Agent.Sensors;

/// <summary>What the agent knows of its IMU.</summary>
public enum SensorHealth
{
    /// <summary>Samples are flowing and changing.</summary>
    Ok,
    /// <summary>I2C transfers keep failing (a loose wire, or the sensor unplugged); retrying with backoff.</summary>
    BusError,
    /// <summary>The sensor answers but its readings stopped changing, or stopped coming; their samples are dropped.</summary>
    Stuck,
    /// <summary>The chip at the sensor's address is not an MPU-6050 (WHO_AM_I); retrying with backoff.</summary>
    WrongChip,
}

public static class SensorHealthExtensions
{
    /// <summary>The value of the status message's <c>sensor</c> field.</summary>
    public static string ToWire(this SensorHealth health) => health switch
    {
        SensorHealth.Ok => "ok",
        SensorHealth.BusError => "bus-error",
        SensorHealth.Stuck => "stuck",
        SensorHealth.WrongChip => "wrong-chip",
        _ => throw new ArgumentOutOfRangeException(nameof(health), health, null),
    };
}
