using Microsoft.Extensions.Hosting;

namespace PostureSense.Server.Broker;

/// <summary>Runs the embedded broker with the host: up before the server's own MQTT client, down after it.</summary>
sealed class EmbeddedBrokerService(EmbeddedBroker broker) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => broker.StartAsync();

    public Task StopAsync(CancellationToken cancellationToken) => broker.StopAsync();
}
