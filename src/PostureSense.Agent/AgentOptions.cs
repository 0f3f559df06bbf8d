using System.Security.Cryptography.X509Certificates;
using PostureSense.Core.Coaching;
using PostureSense.Core.Configuration;
using PostureSense.Core.Contract;
using PostureSense.Core.Imu;

namespace PostureSense.Agent;

/// <summary>How one wearable agent runs.</summary>
public sealed record AgentOptions
{
    /// <summary>The device's id on the wire (<c>^[a-z0-9][a-z0-9-]{0,62}$</c>); also its MQTT client id.</summary>
    public required DeviceId DeviceId { get; init; }
    public MqttBrokerAddress Broker { get; init; } = new("127.0.0.1", MqttBrokerAddress.DefaultPort);
    /// <summary>
    /// With a TLS broker (<c>mqtts://</c>): CA certificates to trust besides the system's, for a
    /// broker whose certificate a private CA signed. Null: the system's CAs only.
    /// </summary>
    public X509Certificate2Collection? BrokerCa { get; init; }
    /// <summary>Telemetry goes out this often (clock time).</summary>
    public TimeSpan BatchPeriod { get; init; } = TimeSpan.FromSeconds(5);
    /// <summary>Nudge and walking thresholds.</summary>
    public CoachingSettings Coaching { get; init; } = CoachingSettings.Default;
    public string FirmwareVersion { get; init; } = "1.0.0";
    /// <summary>How long the wearer sits still and upright while the agent learns their upright.</summary>
    public TimeSpan CalibrationDuration { get; init; } = TimeSpan.FromSeconds(3);
    public AccelRange AccelRange { get; init; } = AccelRange.G2;
    public GyroRange GyroRange { get; init; } = GyroRange.Dps250;
    public int SampleRateHz { get; init; } = 50;
    /// <summary>The board's accelerometer offset and scale (from --calibrate-accel), taken out of every sample.</summary>
    public Core.Imu.AccelCorrection AccelCorrection { get; init; } = Core.Imu.AccelCorrection.Identity;
    /// <summary>
    /// Where the durable outbox (<c>outbox-{DeviceId}.db</c>) lives. Null: an in-memory outbox that
    /// keeps nothing across restarts, and seq starts at 1 each time (the demo, in-process tests).
    /// </summary>
    public string? DataDirectory { get; init; }
    /// <summary>
    /// The pairing code the device shows its wearer. Null: the one kept in <see cref="DataDirectory"/>
    /// (made on the first start), or without a data directory a new one each start.
    /// </summary>
    public string? PairingCode { get; init; }
    /// <summary>The outbox keeps at most this many frames (86,400 = 24 h); past it the oldest batches are dropped.</summary>
    public int OutboxMaxFrames { get; init; } = DefaultOutboxMaxFrames;
    /// <summary>Telemetry batches sent per second at most, so a backlog does not flood the broker (bursts of one second's worth).</summary>
    public double ReplayBatchesPerSecond { get; init; } = DefaultReplayBatchesPerSecond;

    public const int DefaultOutboxMaxFrames = 86_400;
    public const double DefaultReplayBatchesPerSecond = 20;
    /// <summary>Replay must outpace live batches (one per batch period) or a backlog would never drain.</summary>
    public const double MinReplayBatchesPerSecond = 1;
    public const double MaxReplayBatchesPerSecond = 1000;

    /// <exception cref="OptionsException">Every problem, in one line.</exception>
    public void Validate()
    {
        if (Problems() is { Count: > 0 } problems) throw new OptionsException(string.Join("; ", problems));
    }

    List<string> Problems()
    {
        var problems = new List<string>();
        // Any id given was parsed where it came in; only an id never set is left to refuse.
        if (DeviceId.IsEmpty)
            problems.Add(Core.Contract.DeviceId.NotValidMessage(""));
        if (BatchPeriod < TimeSpan.FromSeconds(1) || BatchPeriod > TimeSpan.FromSeconds(ContractLimits.MaxFramesPerBatch))
            problems.Add($"batch period {BatchPeriod} must be 1 to {ContractLimits.MaxFramesPerBatch} s");
        if (CalibrationDuration < TimeSpan.FromSeconds(0.5) || CalibrationDuration > TimeSpan.FromMinutes(1))
            problems.Add($"calibration duration {CalibrationDuration} must be 0.5 s to 1 min");
        if (SampleRateHz is < 10 or > 1000 || 1000 % SampleRateHz != 0)
            problems.Add($"sample rate {SampleRateHz} Hz must divide 1000 and be 10 to 1000 Hz");
        if (string.IsNullOrWhiteSpace(FirmwareVersion) || FirmwareVersion.Length > 64)
            problems.Add("firmware version must be 1 to 64 characters");
        if (OutboxMaxFrames < ContractLimits.MaxFramesPerBatch)
            problems.Add($"the outbox must hold at least {ContractLimits.MaxFramesPerBatch} frames (one full batch), not {OutboxMaxFrames}");
        if (!(ReplayBatchesPerSecond >= MinReplayBatchesPerSecond && ReplayBatchesPerSecond <= MaxReplayBatchesPerSecond))
            problems.Add($"replay rate {ReplayBatchesPerSecond} must be {MinReplayBatchesPerSecond} to {MaxReplayBatchesPerSecond} batches per second");
        if (BrokerCa is not null && !Broker.Tls)
            problems.Add($"a CA certificate only applies to a TLS broker (mqtts://), not {Broker}");
        if (PairingCode is not null && Core.Device.PairingCode.Normalize(PairingCode) is null)
            problems.Add($"pairing code '{PairingCode}' is not one: {Core.Device.PairingCode.Length} letters and digits, as XXXX-XXXX-XXXX");
        if (DataDirectory is { Length: 0 })
            problems.Add("the data directory must not be empty");
        problems.AddRange(Coaching.Validate().Select(p => $"coaching settings: {p}"));
        return problems;
    }
}
