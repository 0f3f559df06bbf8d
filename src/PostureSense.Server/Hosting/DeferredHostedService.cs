using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace PostureSense.Server.Hosting;

/// <summary>
/// Starts <typeparamref name="T"/> in its turn, but makes it only then. The host makes all its
/// hosted services before it starts the first; the MQTT link needs the embedded broker's real
/// port, known only once that broker has started.
/// </summary>
sealed class DeferredHostedService<T>(IServiceProvider services) : IHostedService where T : IHostedService
{
    T? _service;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _service = services.GetRequiredService<T>();
        return _service.StartAsync(cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => _service?.StopAsync(cancellationToken) ?? Task.CompletedTask;
}
