namespace PostureSense.Mqtt.Connecting;

/// <summary>
/// How long to wait before the next connection attempt: <see cref="First"/> doubling per failed
/// attempt up to <see cref="Max"/>, each delay drawn between half and all of that step ("equal
/// jitter"). A fleet that lost its broker at once must not come back at once, yet every delay is
/// at least half its step, so the waits grow from one attempt to the one after next whatever the
/// draw (Polly's own decorrelated jitter can make a later wait shorter than the first).
/// </summary>
public sealed record ReconnectBackoff(TimeSpan First, TimeSpan Max)
{
    public static ReconnectBackoff Default { get; } = new(TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(30));

    /// <summary>A number in [0, 1) per delay; a test may fix it.</summary>
    public Func<double> Random { get; init; } = System.Random.Shared.NextDouble;

    /// <summary>The step for the 0-based <paramref name="attempt"/>: First * 2^attempt, at most Max.</summary>
    public TimeSpan StepFor(int attempt)
    {
        var doublings = Math.Clamp(attempt, 0, 62);
        var ticks = First.Ticks * Math.Pow(2, doublings);
        return ticks >= Max.Ticks ? Max : TimeSpan.FromTicks((long)ticks);
    }

    /// <summary>The delay before retry <paramref name="attempt"/> (0-based) for a draw <paramref name="random"/> in [0, 1).</summary>
    public TimeSpan DelayFor(int attempt, double random)
    {
        var step = StepFor(attempt);
        return step / 2 + step / 2 * Math.Clamp(random, 0, 1);
    }

    public TimeSpan NextDelay(int attempt) => DelayFor(attempt, Random());
}
