namespace PostureSense.Agent.Sensors.Mpu6050;

/// <summary>
/// The device at the sensor's address answered, but WHO_AM_I says it is not an MPU-6050.
/// An <see cref="IOException"/>, so code that treats any sensor failure alike still catches it.
/// </summary>
public sealed class WrongChipException(byte whoAmI, string message) : IOException(message)
{
    /// <summary>What WHO_AM_I read.</summary>
    public byte WhoAmI { get; } = whoAmI;
}
