namespace PostureSense.Server.Configuration;

/// <summary>How hard push deliveries try.</summary>
public sealed record AlertDeliveryOptions
{
    public TimeSpan FirstDelay { get; init; } = TimeSpan.FromSeconds(2);
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromMinutes(1);
    public int MaxAttempts { get; init; } = 5;
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(10);
    /// <summary>Deliveries in flight at once; past it they wait their turn.</summary>
    public int MaxParallel { get; init; } = 8;
}
