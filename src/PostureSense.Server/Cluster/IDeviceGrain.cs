using PostureSense.Core.Contract;

namespace PostureSense.Server.Cluster;

/// <summary>
/// One device of the fleet, wherever in the cluster it lives: it owns the device's coaching state
/// (detectors, cooldowns, the episode already prompted), so that batches which reach different
/// nodes are coached as one stream and a prompt goes out once, whichever node decided it.
/// Keyed by the device id as the wire contract spells it.
/// </summary>
public interface IDeviceGrain : IGrainWithStringKey
{
    /// <summary>
    /// A telemetry batch of this device that the caller has already stored. It is put back in seq
    /// order with the device's other batches (a missing seq is waited for a few seconds at most),
    /// then coached; a batch seen before is not coached again.
    /// </summary>
    Task OnBatchStoredAsync(TelemetryBatch batch, CancellationToken cancellationToken = default);

    /// <summary>
    /// The device's owner or their settings changed (on any node): they are read again from the
    /// app database and the coach is rebuilt on them, keeping what it has prompted.
    /// </summary>
    Task ReloadSettingsAsync(CancellationToken cancellationToken = default);
}
