namespace PostureSense.Agent.Motor;

/// <summary>A hardware PWM channel as Linux numbers it: <c>/sys/class/pwm/pwmchip{Chip}/pwm{Channel}</c>.</summary>
public sealed record PwmChannelAddress(int Chip, int Channel)
{
    public override string ToString() => $"{Chip}:{Channel}";
}
