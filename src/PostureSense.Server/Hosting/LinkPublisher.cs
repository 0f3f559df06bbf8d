using Microsoft.Extensions.DependencyInjection;
using PostureSense.Core.Contract;
using PostureSense.Server.Coaching;
using PostureSense.Server.Ingestion;
using PostureSense.Accounts.Settings;
using PostureSense.Server.Settings;

namespace PostureSense.Server.Hosting;

/// <summary>
/// Publishes through the MQTT link, found when first used. The link hands messages to ingestion,
/// whose coaching publishes through the link: resolving it late breaks that circle, and lets the
/// link be made only once the embedded broker's port is known.
/// </summary>
sealed class LinkPublisher(IServiceProvider services) : ICommandPublisher, IConfigPublisher
{
    BrokerConnection Link => services.GetRequiredService<BrokerConnection>();

    public Task PublishCommandAsync(DeviceId deviceId, DeviceCommand command, CancellationToken cancellationToken) =>
        Link.PublishCommandAsync(deviceId, command, cancellationToken);

    public Task PublishConfigAsync(DeviceId deviceId, DeviceConfig config, CancellationToken cancellationToken) =>
        Link.PublishConfigAsync(deviceId, config, cancellationToken);
}
