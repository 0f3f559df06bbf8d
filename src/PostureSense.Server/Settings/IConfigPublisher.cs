using PostureSense.Core.Contract;

namespace PostureSense.Server.Settings;

/// <summary>Publishes a device's desired settings (<c>posturesense/v1/{id}/config</c>, QoS 1, retained).</summary>
public interface IConfigPublisher
{
    /// <summary>Completes once the broker has it; throws if it could not be handed over.</summary>
    Task PublishConfigAsync(DeviceId deviceId, DeviceConfig config, CancellationToken cancellationToken);
}
