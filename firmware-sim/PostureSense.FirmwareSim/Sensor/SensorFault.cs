namespace PostureSense.FirmwareSim.Sensor;

/// <summary>A fault that <see cref="SimulatedMpu6050.InjectFault"/> makes the simulated chip show.</summary>
public abstract record SensorFault
{
    SensorFault() { }

    /// <summary>
    /// Transfers fail with an <see cref="IOException"/>, as a NACK or a bus timeout does on Linux:
    /// every one (<paramref name="Fraction"/> 1), or that fraction of them, drawn from <paramref name="Seed"/>.
    /// A failed transfer changes nothing on the chip.
    /// </summary>
    public sealed record BusErrors(double Fraction = 1, int Seed = 1) : SensorFault;

    /// <summary>
    /// The sensing stops changing while the chip keeps answering: the data registers and every
    /// FIFO sample repeat the last sample taken before the fault, at the normal rate. (A frozen
    /// chip may instead stop filling its FIFO; this is the case that would otherwise turn into
    /// believable frames.)
    /// </summary>
    public sealed record Stuck : SensorFault;

    /// <summary>WHO_AM_I answers <paramref name="WhoAmI"/>, as another chip of the family would (0x70: MPU-6500, 0x98: ICM-20689).</summary>
    public sealed record WrongChip(byte WhoAmI = 0x70) : SensorFault;

    /// <summary>
    /// Every transfer fails. When the fault is cleared or replaced the chip has been power-cycled:
    /// power-on register values, asleep, FIFO off and empty.
    /// </summary>
    public sealed record Unplugged : SensorFault;
}
