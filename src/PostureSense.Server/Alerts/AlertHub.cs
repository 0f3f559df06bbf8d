using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace PostureSense.Server.Alerts;

/// <summary>
/// Live prompts for the wearer's open browsers: each subscriber (a server-sent events stream, or a
/// component of an in-process UI) gets every alert for its wearer while it listens. A subscriber
/// that stops reading loses its oldest alerts, never holds up the others.
/// </summary>
public sealed class AlertHub
{
    const int KeptPerSubscriber = 50;
    readonly ConcurrentDictionary<long, ConcurrentDictionary<Channel<PromptAlert>, byte>> _subscribers = new();

    public void Publish(long wearerId, PromptAlert alert)
    {
        if (!_subscribers.TryGetValue(wearerId, out var channels)) return;
        foreach (var channel in channels.Keys) channel.Writer.TryWrite(alert);
    }

    public int SubscriberCount(long wearerId) => _subscribers.TryGetValue(wearerId, out var channels) ? channels.Count : 0;

    /// <summary>The wearer's alerts from now on, until <paramref name="cancellationToken"/> ends the subscription.</summary>
    public async IAsyncEnumerable<PromptAlert> SubscribeAsync(long wearerId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var channel = Subscribe(wearerId);
        try
        {
            while (await channel.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
                while (channel.Reader.TryRead(out var alert))
                    yield return alert;
        }
        finally
        {
            Unsubscribe(wearerId, channel);
        }
    }

    /// <summary>Subscribes at once (not at the first MoveNext), so nothing published after this call is missed.</summary>
    public Channel<PromptAlert> Subscribe(long wearerId)
    {
        var channel = Channel.CreateBounded<PromptAlert>(new BoundedChannelOptions(KeptPerSubscriber)
        {
            FullMode = BoundedChannelFullMode.DropOldest,
            SingleReader = true,
        });
        _subscribers.GetOrAdd(wearerId, _ => new())[channel] = 0;
        return channel;
    }

    public void Unsubscribe(long wearerId, Channel<PromptAlert> channel)
    {
        if (_subscribers.TryGetValue(wearerId, out var channels)) channels.TryRemove(channel, out _);
        channel.Writer.TryComplete();
    }
}
