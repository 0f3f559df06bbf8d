using PostureSense.Server.Outbound;

namespace PostureSense.Server.Configuration;

/// <summary>How hard push deliveries try, and how far one wearer's deliveries may reach and weigh.</summary>
public sealed record AlertDeliveryOptions
{
    public TimeSpan FirstDelay { get; init; } = TimeSpan.FromSeconds(2);
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromMinutes(1);
    public int MaxAttempts { get; init; } = 5;
    /// <summary>Each attempt's limit: a URL that never answers holds a slot no longer.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(10);
    /// <summary>Attempts in flight at once, all wearers together; past it they wait their turn.</summary>
    public int MaxParallel { get; init; } = 8;

    /// <summary>
    /// Deliveries of one wearer to one channel (ntfy, webhook) in flight at once; one more waits
    /// for them, any further is refused. So a URL that never answers holds one slot of the
    /// <see cref="MaxParallel"/>, not all of them.
    /// </summary>
    public int PerChannelInFlight { get; init; } = 1;

    /// <summary>Deliveries of one wearer that may wait behind <see cref="PerChannelInFlight"/> before more are refused.</summary>
    public int PerChannelQueue { get; init; } = 1;

    /// <summary>Deliveries one wearer may start in a minute, all channels together; more are refused, not queued.</summary>
    public int PerWearerPerMinute { get; init; } = 12;

    /// <summary>Hosts and ranges alerts may reach although <see cref="AddressRules"/> refuses them (<c>--alert-allow</c>).</summary>
    public OutboundAllowlist Allow { get; init; } = OutboundAllowlist.None;
}
