namespace PostureSense.Core.Device;

/// <summary>The haptic patterns of wire contract v1 (`pattern` in a command).</summary>
public enum VibrationPattern
{
    Short,
    Double,
    Long,
}

/// <summary>One motor pulse: on for <see cref="On"/>, then off for <see cref="OffAfter"/>.</summary>
public readonly record struct VibrationPulse(TimeSpan On, TimeSpan OffAfter);

public static class VibrationPatterns
{
    static readonly VibrationPulse[] ShortPulses = [new(TimeSpan.FromMilliseconds(200), TimeSpan.Zero)];
    static readonly VibrationPulse[] DoublePulses =
        [new(TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(150)), new(TimeSpan.FromMilliseconds(200), TimeSpan.Zero)];
    static readonly VibrationPulse[] LongPulses = [new(TimeSpan.FromMilliseconds(800), TimeSpan.Zero)];

    /// <summary>The on/off timing a motor driver plays for a pattern.</summary>
    public static ReadOnlySpan<VibrationPulse> Pulses(VibrationPattern pattern) => pattern switch
    {
        VibrationPattern.Short => ShortPulses,
        VibrationPattern.Double => DoublePulses,
        VibrationPattern.Long => LongPulses,
        _ => throw new ArgumentOutOfRangeException(nameof(pattern), pattern, "unknown vibration pattern"),
    };

    public static string ToWire(this VibrationPattern pattern) => pattern switch
    {
        VibrationPattern.Short => "short",
        VibrationPattern.Double => "double",
        VibrationPattern.Long => "long",
        _ => throw new ArgumentOutOfRangeException(nameof(pattern), pattern, "unknown vibration pattern"),
    };

    public static bool TryParse(string? wire, out VibrationPattern pattern)
    {
        switch (wire)
        {
            case "short": pattern = VibrationPattern.Short; return true;
            case "double": pattern = VibrationPattern.Double; return true;
            case "long": pattern = VibrationPattern.Long; return true;
            default: pattern = default; return false;
        }
    }
}

/// <summary>
/// The vibration motor as the agent sees it: a GPIO or PWM pin on a Pi, a recording sink in the simulator.
/// Implementations must leave the motor off when a pattern is cancelled or fails.
/// </summary>
public interface IVibrationMotor
{
    /// <param name="strengthPercent">
    /// How hard to buzz, 1-100 (the wearer's <c>vibrationStrength</c>): the duty cycle on a PWM pin;
    /// a motor that can only be switched plays every strength at full.
    /// </param>
    ValueTask PlayAsync(VibrationPattern pattern, int strengthPercent, CancellationToken cancellationToken);
}
