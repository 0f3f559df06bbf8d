using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using PostureSense.Core.Contract;
using PostureSense.Core.Exercises;
using PostureSense.Server.Alerts;

namespace PostureSense.Server.Cluster.Alerts;

/// <summary>
/// This node's part in the cluster's alert stream. A prompt is decided on the node its device's
/// grain lives on, but the wearer's page may be open on any node: the deciding node shows the alert
/// to its own pages and publishes it here, and every other node shows it to the pages it has open.
/// <para>
/// Why observers of a few fan-out grains: they ride on the silos' own connections (nothing new
/// listens on a port, no stream or storage provider to run), a node subscribes once per shard rather
/// than per open page, and a node that dies simply stops being renewed. Orleans streams would need a
/// queue provider and pub-sub storage for the same one-way, best-effort delivery. Push deliveries
/// (ntfy, webhook) do not come through here: only the deciding node sends those, so they go out once.
/// </para>
/// </summary>
/// <param name="clock">Real time, as the cluster keeps it: when subscriptions are renewed.</param>
public sealed partial class AlertFanout(IGrainFactory grains, TimeProvider clock, ILogger<AlertFanout> log)
    : BackgroundService, IAlertObserver
{
    /// <summary>Few: every node subscribes to each, and one shard easily carries a fleet's prompts.</summary>
    public const int Shards = 8;

    /// <summary>A subscription not renewed for this long is dropped (a node that died without unsubscribing).</summary>
    public static readonly TimeSpan Expiry = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Well within <see cref="Expiry"/>; also the longest a shard that moved (its node died) stays
    /// without a node, during which alerts reach only the deciding node's pages.
    /// </summary>
    public static readonly TimeSpan RenewEvery = TimeSpan.FromSeconds(10);

    /// <summary>Longest a starting node waits to be subscribed before it goes on starting.</summary>
    public static readonly TimeSpan FirstWait = TimeSpan.FromSeconds(15);

    /// <summary>How soon a renewal that missed a shard is tried again.</summary>
    public static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(1);

    readonly Guid _node = Guid.NewGuid();
    readonly TaskCompletionSource _subscribed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    IAlertObserver? _self;

    /// <summary>Completes once this node has subscribed to every shard: from then on it hears the others' alerts.</summary>
    public Task Subscribed => _subscribed.Task;

    /// <summary>Raised for an alert another node decided. Handlers must not block.</summary>
    public event Action<PromptAlert>? Received;

    /// <summary>Hands an alert to the other nodes; returns at once, and a failure is only logged.</summary>
    public void Publish(PromptAlert alert)
    {
        var shared = new SharedAlert(alert.DeviceId.Value, alert.CommandId, alert.Ts, alert.Reason, alert.Exercise, alert.Reminder, _node);
        _ = PublishAsync(shared);
    }

    async Task PublishAsync(SharedAlert alert)
    {
        try
        {
            await grains.GetGrain<IAlertFanoutGrain>(ShardOf(alert.DeviceId)).PublishAsync(alert);
        }
        catch (Exception ex)
        {
            LogPublishFailed(ex, alert.CommandId, alert.DeviceId);
        }
    }

    /// <summary>Raised for a row another node changed in the shared app database. Handlers must not block.</summary>
    public event Action<SharedChange>? ChangeReceived;

    /// <summary>Tells the other nodes that a device's owner changed; returns at once, and a failure is only logged.</summary>
    public void PublishOwnerChanged(DeviceId deviceId) =>
        _ = PublishChangeAsync(new SharedChange(deviceId.Value, null, _node), deviceId.Value);

    /// <summary>Tells the other nodes that a wearer's settings changed; returns at once, and a failure is only logged.</summary>
    public void PublishSettingsChanged(long wearerId) =>
        _ = PublishChangeAsync(new SharedChange(null, wearerId, _node), wearerId.ToString(System.Globalization.CultureInfo.InvariantCulture));

    async Task PublishChangeAsync(SharedChange change, string key)
    {
        try
        {
            await grains.GetGrain<IAlertFanoutGrain>(ShardOf(key)).PublishChangeAsync(change);
        }
        catch (Exception ex)
        {
            LogChangeFailed(ex, key);
        }
    }

    public Task OnChangeAsync(SharedChange change)
    {
        if (change.Origin == _node) return Task.CompletedTask;
        try
        {
            ChangeReceived?.Invoke(change);
        }
        catch (Exception ex)
        {
            LogChangeFailed(ex, change.DeviceId ?? change.WearerId?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "");
        }
        return Task.CompletedTask;
    }

    /// <summary>Stable across processes (unlike string.GetHashCode), so every node picks the same shard.</summary>
    public static int ShardOf(string deviceId)
    {
        var hash = 2166136261u;
        foreach (var c in deviceId) hash = (hash ^ c) * 16777619u;
        return (int)(hash % Shards);
    }

    public Task OnAlertAsync(SharedAlert alert)
    {
        if (alert.Origin == _node) return Task.CompletedTask;
        if (!PromptReasons.TryParse(alert.Reason, out var reason) || !DeviceId.TryParse(alert.DeviceId, out var deviceId))
            return Task.CompletedTask;
        try
        {
            Received?.Invoke(PromptAlert.Create(deviceId, alert.CommandId, alert.Ts, reason, alert.Exercise, alert.Reminder));
        }
        catch (Exception ex)
        {
            LogShowFailed(ex, alert.CommandId, alert.DeviceId);
        }
        return Task.CompletedTask;
    }

    /// <summary>Subscribes before the node goes on starting, so it hears the others' alerts by the time it is ready.</summary>
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        _self = grains.CreateObjectReference<IAlertObserver>(this);
        try
        {
            // Bounded: a shard on a node that died unnoticed must not hold up this node's start; the renewals go on after.
            if (await RenewAsync(_self).WaitAsync(FirstWait, clock, cancellationToken)) _subscribed.TrySetResult();
        }
        catch (TimeoutException)
        {
            LogStartedUnsubscribed(FirstWait);
        }
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var self = _self ?? throw new InvalidOperationException("Not started.");
        var all = _subscribed.Task.IsCompleted;
        while (true)
        {
            try { await Task.Delay(all ? RenewEvery : RetryAfter, clock, stoppingToken); }
            catch (OperationCanceledException) { return; }
            all = await RenewAsync(self);
            if (all) _subscribed.TrySetResult();
        }
    }

    /// <summary>Subscribes to every shard (again); false when one could not be reached now (a node starting or leaving).</summary>
    async Task<bool> RenewAsync(IAlertObserver self)
    {
        var all = true;
        for (var shard = 0; shard < Shards; shard++)
        {
            try
            {
                await grains.GetGrain<IAlertFanoutGrain>(shard).SubscribeAsync(self);
            }
            catch (Exception ex)
            {
                LogRenewFailed(ex, shard);
                all = false;
            }
        }
        return all;
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        if (_self is not { } self) return;
        // Leaving at once rather than at the expiry: the shards stop sending to a node that is gone.
        for (var shard = 0; shard < Shards && !cancellationToken.IsCancellationRequested; shard++)
        {
            try { await grains.GetGrain<IAlertFanoutGrain>(shard).UnsubscribeAsync(self); }
            catch (Exception ex) when (ex is not OperationCanceledException) { LogRenewFailed(ex, shard); }
        }
        grains.DeleteObjectReference<IAlertObserver>(self);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Not subscribed to every alert shard after {Wait}; starting anyway, still trying")]
    partial void LogStartedUnsubscribed(TimeSpan wait);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not pass alert {CommandId} of {DeviceId} to the other nodes")]
    partial void LogPublishFailed(Exception ex, string commandId, string deviceId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not show alert {CommandId} of {DeviceId} from another node")]
    partial void LogShowFailed(Exception ex, string commandId, string deviceId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not pass on or take in the change of {Key} between the nodes")]
    partial void LogChangeFailed(Exception ex, string key);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not subscribe to alert shard {Shard}; tried again shortly")]
    partial void LogRenewFailed(Exception ex, int shard);
}
