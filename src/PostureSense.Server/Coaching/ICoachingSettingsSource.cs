using PostureSense.Core.Contract;
using PostureSense.Core.Coaching;

namespace PostureSense.Server.Coaching;

/// <summary>The thresholds and quiet-hours zone a device is coached with: its wearer's, or the defaults.</summary>
public interface ICoachingSettingsSource
{
    CoachingSettings SettingsFor(DeviceId deviceId);

    /// <summary>The zone of the quiet hours; null = the server clock's local zone.</summary>
    TimeZoneInfo? QuietHoursZoneFor(DeviceId deviceId);

    /// <summary>Reads the device's settings again where another server may have changed them; nothing to do by default.</summary>
    Task RefreshAsync(DeviceId deviceId, CancellationToken cancellationToken = default) => Task.CompletedTask;
}

/// <summary>The design's defaults for every device.</summary>
public sealed class DefaultCoachingSettings : ICoachingSettingsSource
{
    public static DefaultCoachingSettings Instance { get; } = new();
    public CoachingSettings SettingsFor(DeviceId deviceId) => CoachingSettings.Default;
    public TimeZoneInfo? QuietHoursZoneFor(DeviceId deviceId) => null;
}
