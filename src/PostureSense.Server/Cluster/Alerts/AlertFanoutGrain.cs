using Microsoft.Extensions.Logging;
using Orleans.Utilities;

namespace PostureSense.Server.Cluster.Alerts;

/// <summary>
/// Holds the subscribed nodes in memory only: if this grain's node dies, the shard comes back empty
/// elsewhere and fills again as the nodes renew (<see cref="AlertFanout.RenewEvery"/>); nothing is
/// stored, so the fan-out needs no storage provider and nothing beyond the silos' own connections.
/// </summary>
public sealed class AlertFanoutGrain(ILogger<AlertFanoutGrain> log) : Grain, IAlertFanoutGrain
{
    readonly ObserverManager<IAlertObserver> _nodes = new(AlertFanout.Expiry, log);

    public Task SubscribeAsync(IAlertObserver node)
    {
        _nodes.Subscribe(node, node);
        return Task.CompletedTask;
    }

    public Task UnsubscribeAsync(IAlertObserver node)
    {
        _nodes.Unsubscribe(node);
        return Task.CompletedTask;
    }

    public Task PublishAsync(SharedAlert alert)
    {
        // Observers that fail are dropped by the manager; they come back at their next renewal.
        _nodes.Notify(node => node.OnAlertAsync(alert));
        return Task.CompletedTask;
    }

    public Task PublishChangeAsync(SharedChange change)
    {
        _nodes.Notify(node => node.OnChangeAsync(change));
        return Task.CompletedTask;
    }
}
