using PostureSense.Core.Contract;

namespace PostureSense.Server.Coaching;

/// <summary>Sends a command to a device (<c>posturesense/v1/{id}/cmd</c>, QoS 1, not retained).</summary>
public interface ICommandPublisher
{
    /// <summary>Completes once the broker has the command; throws if it could not be handed over.</summary>
    Task PublishCommandAsync(DeviceId deviceId, DeviceCommand command, CancellationToken cancellationToken);
}
