namespace PostureSense.Agent.Settings;

/// <summary>
/// The agent's settings as configuration holds them (keys as in appsettings.json), bound by the
/// configuration binding source generator; <see cref="AgentCommandLine"/> checks and resolves them.
/// Null: not given.
/// </summary>
public sealed class AgentSettingValues
{
    public string? DeviceId { get; set; }
    public string? Mqtt { get; set; }
    public string? MqttCa { get; set; }
    public string? Sim { get; set; }
    public double? Speed { get; set; }
    /// <summary>ISO 8601; a time without an offset is UTC.</summary>
    public string? SimStart { get; set; }
    /// <summary>Seconds; negative = behind.</summary>
    public double? SimClockOffset { get; set; }
    /// <summary>Seconds.</summary>
    public double? SimClockSyncAfter { get; set; }
    public string? DataDir { get; set; }
    public int? OutboxMaxFrames { get; set; }
    public double? ReplayRate { get; set; }
    public int? I2cBus { get; set; }
    /// <summary>Hex with 0x, as i2cdetect prints it: a bare "68" would quietly mean 0x44.</summary>
    public string? I2cAddress { get; set; }
    public int? MotorPin { get; set; }
    public string? MotorPwm { get; set; }
    public int? ButtonPin { get; set; }
    public bool? ShowPairingCode { get; set; }
    public bool? CalibrateAccel { get; set; }
}
