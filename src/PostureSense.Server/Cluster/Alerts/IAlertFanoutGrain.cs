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

    /// <summary>Passes the notice of a changed row to every subscribed node, as an alert is.</summary>
    Task PublishChangeAsync(SharedChange change);
}

/// <summary>A node's ear for alerts decided elsewhere in the cluster.</summary>
public interface IAlertObserver : IGrainObserver
{
    /// <summary>One-way: a slow or dead node holds up neither the shard nor the other nodes.</summary>
    [OneWay]
    Task OnAlertAsync(SharedAlert alert);

    /// <summary>One-way, like an alert: a node that misses it reads the rows fresh when it starts.</summary>
    [OneWay]
    Task OnChangeAsync(SharedChange change);
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

/// <summary>
/// That a row of the shared app database changed: a device's owner (<see cref="DeviceId"/>) or a
/// wearer's settings (<see cref="WearerId"/>). Only ids, never the rows: each node reads them again
/// from its database, so a notice sent by anyone on the cluster can at most cause a re-read.
/// </summary>
/// <param name="Origin">The node that made the change, which holds it already.</param>
[GenerateSerializer, Immutable]
public sealed record SharedChange(
    [property: Id(0)] string? DeviceId, [property: Id(1)] long? WearerId, [property: Id(2)] Guid Origin);
