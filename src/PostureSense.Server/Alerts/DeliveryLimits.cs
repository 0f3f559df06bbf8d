using System.Threading.RateLimiting;
using PostureSense.Server.Configuration;

namespace PostureSense.Server.Alerts;

/// <summary>
/// Each wearer's share of the push deliveries: so many started a minute (all channels), and so
/// many in flight per channel with a short queue behind them. A wearer whose URL never answers, or
/// who snoozes every minute, then only delays their own alerts; what is over the limit is refused
/// at once, never queued without end. Partitions of wearers gone quiet are dropped by the limiter.
/// </summary>
sealed class DeliveryLimits : IDisposable
{
    public const string WearerRate = "wearer-rate";
    public const string WearerBusy = "wearer-busy";

    readonly PartitionedRateLimiter<long> _perMinute;
    readonly PartitionedRateLimiter<(long WearerId, string Channel)> _inFlight;

    public DeliveryLimits(AlertDeliveryOptions options)
    {
        _perMinute = PartitionedRateLimiter.Create<long, long>(wearerId => RateLimitPartition.GetTokenBucketLimiter(wearerId, _ =>
            new TokenBucketRateLimiterOptions
            {
                TokenLimit = options.PerWearerPerMinute,
                TokensPerPeriod = options.PerWearerPerMinute,
                ReplenishmentPeriod = TimeSpan.FromMinutes(1),
                QueueLimit = 0,
            }));
        _inFlight = PartitionedRateLimiter.Create<(long, string), (long, string)>(key => RateLimitPartition.GetConcurrencyLimiter(key, _ =>
            new ConcurrencyLimiterOptions
            {
                PermitLimit = options.PerChannelInFlight,
                QueueLimit = options.PerChannelQueue,
                QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
            }));
    }

    /// <summary>
    /// A permit for one delivery, held until it ends (disposed), or why there is none
    /// (<see cref="WearerRate"/>, <see cref="WearerBusy"/>). May wait for the wearer's delivery before.
    /// </summary>
    public async ValueTask<(RateLimitLease? Permit, string? Refusal)> AcquireAsync(long wearerId, string channel, CancellationToken cancellationToken)
    {
        using (var started = _perMinute.AttemptAcquire(wearerId))
            if (!started.IsAcquired) return (null, WearerRate);
        var permit = await _inFlight.AcquireAsync((wearerId, channel), 1, cancellationToken);
        if (permit.IsAcquired) return (permit, null);
        permit.Dispose();
        return (null, WearerBusy);
    }

    public void Dispose()
    {
        _perMinute.Dispose();
        _inFlight.Dispose();
    }
}
