namespace PostureSense.Mqtt.Tests.Support;

/// <summary>A link whose <see cref="MqttLink.RunAsync"/> runs as a hosted service would run it, until disposed.</summary>
sealed class RunningLink : IAsyncDisposable
{
    readonly CancellationTokenSource _stop = new();
    readonly Task _run;

    public RunningLink(MqttLink link)
    {
        Link = link;
        _run = link.RunAsync(_stop.Token);
    }

    public MqttLink Link { get; }

    /// <summary>Stops the loop and leaves with a clean DISCONNECT, as a server shutting down does.</summary>
    public async Task StopAsync()
    {
        if (!_stop.IsCancellationRequested) _stop.Cancel();
        await _run;
        await Link.DisconnectAsync(CancellationToken.None);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stop.IsCancellationRequested) _stop.Cancel();
        await _run;
        await Link.DisposeAsync();
        _stop.Dispose();
    }
}
