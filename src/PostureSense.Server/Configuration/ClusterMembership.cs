namespace PostureSense.Server.Configuration;

/// <summary>
/// How long the other nodes wait before they vote a silent node dead (<c>--cluster-probe-timeout</c>,
/// <c>--cluster-missed-probes</c>). Orleans' own defaults (3 missed probes of 5 s, ~15 s) are too
/// quick for several nodes on a busy 2-core machine, or a node in a long GC or catching up a broker
/// backlog at start: they miss probes that long while alive, and a silo declared dead kills itself.
/// Ours: 4 missed probes of 10 s, ~40 s, still well within the minute a device's batches wait at the broker.
/// </summary>
public sealed record ClusterMembership(TimeSpan ProbeTimeout, int MissedProbes)
{
    public static ClusterMembership Default { get; } = new(TimeSpan.FromSeconds(10), 4);

    public static readonly TimeSpan MinProbeTimeout = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan MaxProbeTimeout = TimeSpan.FromMinutes(5);
    public const int MaxMissedProbes = 20;

    /// <summary>About how long a node may be silent before it is declared dead.</summary>
    public TimeSpan DeathAfter => ProbeTimeout * MissedProbes;

    /// <summary>Votes expire after twice that, so old suspicions of a node that recovered do not add up to a death.</summary>
    public TimeSpan VoteExpiration => DeathAfter * 2;
}
