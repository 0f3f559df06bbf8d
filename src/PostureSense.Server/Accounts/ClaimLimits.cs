using System.Threading.RateLimiting;

namespace PostureSense.Server.Accounts;

/// <summary>
/// How many wrong pairing codes a wearer's account and a client address may try: at most
/// <see cref="PerAccount"/> and <see cref="PerAddress"/> in each <see cref="Window"/>. Never counted
/// per device, or an attacker's tries would lock its owner out. With about 60 bits in a code, these
/// leave guessing hopeless.
/// <para>
/// The windows follow the injected clock: the limiters of System.Threading.RateLimiting count the
/// tries, and all of them are replaced when a window of that clock ends (their own replenishment
/// runs on the machine's clock, which tests cannot move; and old windows take no memory).
/// </para>
/// </summary>
public sealed class ClaimLimits(TimeProvider clock) : IDisposable
{
    public const int PerAccount = 5;
    public const int PerAddress = 20;
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(15);

    readonly Lock _gate = new();
    long _window = long.MinValue;
    PartitionedRateLimiter<string>? _accounts;
    PartitionedRateLimiter<string>? _addresses;

    /// <summary>Whether both the account and the address have tries left.</summary>
    /// <param name="address">Null when unknown: then only the account counts, rather than one bucket everybody shares.</param>
    public bool MayTry(long wearerId, string? address)
    {
        var (accounts, addresses) = Current();
        // Zero permits asks without taking any: a right code costs nothing.
        using var account = accounts.AttemptAcquire(AccountKey(wearerId), 0);
        if (!account.IsAcquired) return false;
        if (address is null) return true;
        using var from = addresses.AttemptAcquire(address, 0);
        return from.IsAcquired;
    }

    /// <summary>Counts a wrong try against the account and the address.</summary>
    public void Failed(long wearerId, string? address)
    {
        var (accounts, addresses) = Current();
        accounts.AttemptAcquire(AccountKey(wearerId)).Dispose();
        if (address is not null) addresses.AttemptAcquire(address).Dispose();
    }

    /// <summary>How long until the current window ends and tries are allowed again.</summary>
    public TimeSpan RetryAfter
    {
        get
        {
            var now = clock.GetUtcNow().UtcTicks;
            return TimeSpan.FromTicks(Window.Ticks - now % Window.Ticks);
        }
    }

    (PartitionedRateLimiter<string>, PartitionedRateLimiter<string>) Current()
    {
        var window = clock.GetUtcNow().UtcTicks / Window.Ticks;
        lock (_gate)
        {
            if (window != _window || _accounts is null || _addresses is null)
            {
                _accounts?.Dispose();
                _addresses?.Dispose();
                _accounts = Limiter(PerAccount);
                _addresses = Limiter(PerAddress);
                _window = window;
            }
            return (_accounts, _addresses);
        }
    }

    static PartitionedRateLimiter<string> Limiter(int permits) => PartitionedRateLimiter.Create<string, string>(key =>
        RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = permits,
            QueueLimit = 0,
            // Replenished by replacing the limiter when the injected clock's window ends, not by itself.
            Window = Window,
            AutoReplenishment = false,
        }));

    static string AccountKey(long wearerId) => wearerId.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public void Dispose()
    {
        lock (_gate)
        {
            _accounts?.Dispose();
            _addresses?.Dispose();
        }
    }
}
