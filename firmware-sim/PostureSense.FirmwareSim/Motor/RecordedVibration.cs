using PostureSense.Core.Device;

namespace PostureSense.FirmwareSim.Motor;

/// <summary>A pattern the motor was asked to play, at the clock time it started, and how hard (percent).</summary>
public sealed record RecordedVibration(DateTimeOffset At, VibrationPattern Pattern, int StrengthPercent = 100);
