using Orleans.Concurrency;

namespace PostureSense.Server.Cluster.Alerts;

/// <summary>
/// One shard of the cluster's alert fan-out (<see cref="AlertFanout.Shards"/> of them, keyed 0..n-1
/// by the device's id): the nodes subscribe their <see cref="IAlertObserver"/> to every shard, and the
/// node whose grain decided a prompt publishes it to the device's shard, which passes it to them all.
/// </summary>
public interface IAlertFanoutGrain : IGrainWithIntegerKey
{
    /// <summary>Adds the node, or renews it: a node not renewed within the expiry is dropped.</summary>
    Task SubscribeAsync(IAlertObserver node);

    Task UnsubscribeAsync(IAlertObserver node);

    /// <summary>Passes the alert to every subscribed node; returns once it was handed to each, not once shown.</summary>
    Task PublishAsync(SharedAlert alert);
}

/// <summary>A node's ear for alerts decided elsewhere in the cluster.</summary>
public interface IAlertObserver : IGrainObserver
{
    /// <summary>One-way: a slow or dead node holds up neither the shard nor the other nodes.</summary>
    [OneWay]
    Task OnAlertAsync(SharedAlert alert);
}

/// <summary>
/// A prompt's alert as it crosses the cluster: what it is about, never whom it is for. Each node
/// finds the wearer from its own accounts, so an alert reaches only the device's owner's pages.
/// </summary>
/// <param name="Origin">The node that published it, which has shown it to its own pages already.</param>
[GenerateSerializer, Immutable]
public sealed record SharedAlert(
    [property: Id(0)] string DeviceId, [property: Id(1)] string CommandId, [property: Id(2)] long Ts,
    [property: Id(3)] string Reason, [property: Id(4)] string Exercise, [property: Id(5)] bool Reminder,
    [property: Id(6)] Guid Origin);
