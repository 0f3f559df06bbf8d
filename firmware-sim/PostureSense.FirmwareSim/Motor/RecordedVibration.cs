using PostureSense.Core.Device;

namespace PostureSense.FirmwareSim.Motor;

/// <summary>A pattern the motor was asked to play, at the clock time it started.</summary>
public sealed record RecordedVibration(DateTimeOffset At, VibrationPattern Pattern);
