using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using PostureSense.Core.Device;
using PostureSense.Core.Exercises;
using PostureSense.Core.Posture;

namespace PostureSense.Core.Contract;

/// <summary>Reads and writes wire contract v1 payloads, validating everything it reads.</summary>
public static class WireFormat
{
    static ContractJsonContext Json => ContractJsonContext.Default;

    public static byte[] Serialize(TelemetryBatch batch) => JsonSerializer.SerializeToUtf8Bytes(batch, Json.TelemetryBatch);
    public static byte[] Serialize(DeviceCommand command) => JsonSerializer.SerializeToUtf8Bytes(command, Json.DeviceCommand);
    public static byte[] Serialize(CommandAck ack) => JsonSerializer.SerializeToUtf8Bytes(ack, Json.CommandAck);
    public static byte[] Serialize(DeviceStatus status) => JsonSerializer.SerializeToUtf8Bytes(status, Json.DeviceStatus);
    public static byte[] Serialize(DeviceConfig config) => JsonSerializer.SerializeToUtf8Bytes(config, Json.DeviceConfig);

    /// <summary>Validates a telemetry payload received at <paramref name="now"/>.</summary>
    public static ParseResult<ValidatedTelemetry> ParseTelemetry(ReadOnlySpan<byte> payload, DateTimeOffset now)
    {
        if (payload.Length > ContractLimits.MaxTelemetryBytes)
            return ParseResult<ValidatedTelemetry>.Reject(
                $"payload of {payload.Length} bytes exceeds the {ContractLimits.MaxTelemetryBytes} byte limit");
        if (Read(payload, Json.TelemetryBatch, out var batch) is { } error)
            return ParseResult<ValidatedTelemetry>.Reject(error);
        if (batch!.Frames.Count is < 1 or > ContractLimits.MaxFramesPerBatch)
            return ParseResult<ValidatedTelemetry>.Reject(
                $"a batch holds 1 to {ContractLimits.MaxFramesPerBatch} frames, this one {batch.Frames.Count}");
        if (batch.Seq < 0)
            return ParseResult<ValidatedTelemetry>.Reject($"seq {batch.Seq} is negative");

        var kept = new List<PostureFrame>(batch.Frames.Count);
        List<RejectedFrame>? rejected = null;
        var maxTs = TimestampWindow.Latest(now);
        for (var i = 0; i < batch.Frames.Count; i++)
        {
            var frame = batch.Frames[i];
            if (i > 0 && frame.Ts <= batch.Frames[i - 1].Ts)
                return ParseResult<ValidatedTelemetry>.Reject(
                    $"frames must be in time order: frame {i} (ts {frame.Ts}) is not after frame {i - 1} (ts {batch.Frames[i - 1].Ts})");
            if (FrameProblem(frame, maxTs) is { } reason)
                (rejected ??= []).Add(new RejectedFrame(i, frame.Ts, reason));
            else
                kept.Add(frame);
        }
        return ParseResult<ValidatedTelemetry>.Accept(
            new ValidatedTelemetry(batch with { Frames = kept }, (IReadOnlyList<RejectedFrame>?)rejected ?? []));
    }

    static string? FrameProblem(PostureFrame f, long maxTs)
    {
        if (TimestampWindow.Problem("ts", f.Ts, maxTs) is { } ts) return ts;
        if (!double.IsFinite(f.Pitch) || Math.Abs(f.Pitch) > ContractLimits.MaxAbsAngleDeg) return $"pitch {f.Pitch} is outside ±180°";
        if (f.Flexion is { } flexion && (!double.IsFinite(flexion) || Math.Abs(flexion) > ContractLimits.MaxAbsAngleDeg)) return $"flexion {flexion} is outside ±180°";
        if (!double.IsFinite(f.Roll) || Math.Abs(f.Roll) > ContractLimits.MaxAbsAngleDeg) return $"roll {f.Roll} is outside ±180°";
        if (!double.IsFinite(f.Motion) || f.Motion < 0 || f.Motion > ContractLimits.MaxMotionG) return $"motion {f.Motion} is outside 0-16 g";
        if (f.Steps is < 0 or > ContractLimits.MaxStepsPerFrame) return $"steps {f.Steps} is outside 0-{ContractLimits.MaxStepsPerFrame}";
        return null;
    }

    /// <summary>Validates a command received at <paramref name="now"/> (the device's clock).</summary>
    public static ParseResult<DeviceCommand> ParseCommand(ReadOnlySpan<byte> payload, DateTimeOffset now)
    {
        if (payload.Length > ContractLimits.MaxCommandBytes)
            return ParseResult<DeviceCommand>.Reject($"payload of {payload.Length} bytes exceeds the {ContractLimits.MaxCommandBytes} byte limit");
        if (Read(payload, Json.DeviceCommand, out var cmd) is { } error) return ParseResult<DeviceCommand>.Reject(error);
        if (string.IsNullOrWhiteSpace(cmd!.Id) || cmd.Id.Length > 64) return ParseResult<DeviceCommand>.Reject("id must be 1 to 64 characters");
        string? problem = cmd.Type switch
        {
            DeviceCommand.Types.Stretch =>
                cmd.Reason is not ("hunch" or "sitting") ? $"stretch reason '{cmd.Reason}' is not 'hunch' or 'sitting'"
                : !ExerciseCatalog.TryGet(cmd.Exercise, out _) ? $"exercise '{cmd.Exercise}' is not in the catalog"
                : !VibrationPatterns.TryParse(cmd.Pattern, out _) ? $"pattern '{cmd.Pattern}' is not short, double or long"
                : null,
            DeviceCommand.Types.Vibrate =>
                !VibrationPatterns.TryParse(cmd.Pattern, out _) ? $"pattern '{cmd.Pattern}' is not short, double or long" : null,
            DeviceCommand.Types.Calibrate => null,
            _ => $"command type '{cmd.Type}' is unknown",
        } ?? TimestampWindow.Problem("ts", cmd.Ts, now);
        return problem is null ? ParseResult<DeviceCommand>.Accept(cmd) : ParseResult<DeviceCommand>.Reject(problem);
    }

    /// <summary>Validates an ack received at <paramref name="now"/>.</summary>
    public static ParseResult<CommandAck> ParseAck(ReadOnlySpan<byte> payload, DateTimeOffset now)
    {
        if (payload.Length > ContractLimits.MaxCommandBytes)
            return ParseResult<CommandAck>.Reject($"payload of {payload.Length} bytes exceeds the {ContractLimits.MaxCommandBytes} byte limit");
        if (Read(payload, Json.CommandAck, out var ack) is { } error) return ParseResult<CommandAck>.Reject(error);
        if (string.IsNullOrWhiteSpace(ack!.Id) || ack.Id.Length > 64) return ParseResult<CommandAck>.Reject("id must be 1 to 64 characters");
        if (ack.Status is not (CommandAck.Statuses.Received or CommandAck.Statuses.Done or CommandAck.Statuses.Dismissed))
            return ParseResult<CommandAck>.Reject($"ack status '{ack.Status}' is not received, done or dismissed");
        if (AckResultProblem(ack) is { } problem) return ParseResult<CommandAck>.Reject(problem);
        if (TimestampWindow.Problem("ts", ack.Ts, now) is { } ts) return ParseResult<CommandAck>.Reject(ts);
        return ParseResult<CommandAck>.Accept(ack);
    }

    /// <summary>What is wrong with a stretch result an ack carries, if anything.</summary>
    static string? AckResultProblem(CommandAck ack)
    {
        if (ack.Exercise is not null && !ExerciseCatalog.TryGet(ack.Exercise, out _))
            return $"exercise '{ack.Exercise}' is not in the catalog";
        if (ack.Reps is < 0 or > ContractLimits.MaxAckReps)
            return $"reps {ack.Reps} is outside 0-{ContractLimits.MaxAckReps}";
        if (ack.HoldsS is { } holds)
        {
            if (holds.Count > ContractLimits.MaxAckHolds)
                return $"{holds.Count} holds is more than {ContractLimits.MaxAckHolds}";
            foreach (var hold in holds)
                if (!double.IsFinite(hold) || hold < 0 || hold > ContractLimits.MaxAckHoldSeconds)
                    return $"hold {hold} s is outside 0-{ContractLimits.MaxAckHoldSeconds:0} s";
        }
        return null;
    }

    /// <summary>Validates a status received at <paramref name="now"/>.</summary>
    public static ParseResult<DeviceStatus> ParseStatus(ReadOnlySpan<byte> payload, DateTimeOffset now)
    {
        if (payload.Length > ContractLimits.MaxCommandBytes)
            return ParseResult<DeviceStatus>.Reject($"payload of {payload.Length} bytes exceeds the {ContractLimits.MaxCommandBytes} byte limit");
        if (Read(payload, Json.DeviceStatus, out var status) is { } error) return ParseResult<DeviceStatus>.Reject(error);
        if (status!.Fw is { Length: > 64 }) return ParseResult<DeviceStatus>.Reject("fw is longer than 64 characters");
        if (status.Outbox < 0 || status.Dropped < 0 || status.ConfigTs < 0)
            return ParseResult<DeviceStatus>.Reject("outbox, dropped and configTs cannot be negative");
        if (status.Sensor is { Length: > 32 }) return ParseResult<DeviceStatus>.Reject("sensor is longer than 32 characters");
        if ((TimestampWindow.Problem("ts", status.Ts, now) ?? TimestampWindow.Problem("configTs", status.ConfigTs, now)) is { } ts)
            return ParseResult<DeviceStatus>.Reject(ts);
        return ParseResult<DeviceStatus>.Accept(status);
    }

    /// <summary>Validates a config received (or read back from disk) at <paramref name="now"/> (the device's clock).</summary>
    public static ParseResult<DeviceConfig> ParseConfig(ReadOnlySpan<byte> payload, DateTimeOffset now)
    {
        if (payload.Length > ContractLimits.MaxCommandBytes)
            return ParseResult<DeviceConfig>.Reject($"payload of {payload.Length} bytes exceeds the {ContractLimits.MaxCommandBytes} byte limit");
        if (Read(payload, Json.DeviceConfig, out var config) is { } error) return ParseResult<DeviceConfig>.Reject(error);
        var problems = config!.Validate();
        if (config.Ts is >= 0 && TimestampWindow.Problem("ts", config.Ts, now) is { } ts) problems = [.. problems, ts];
        return problems.Count == 0 ? ParseResult<DeviceConfig>.Accept(config) : ParseResult<DeviceConfig>.Reject(string.Join("; ", problems));
    }

    /// <summary>Deserializes and checks the version; returns the reason on failure.</summary>
    static string? Read<T>(ReadOnlySpan<byte> payload, JsonTypeInfo<T> type, out T? value) where T : class
    {
        value = null;
        if (payload.IsEmpty) return "empty payload";
        try
        {
            value = JsonSerializer.Deserialize(payload, type);
        }
        catch (JsonException ex)
        {
            // A different version may legitimately have a different shape: name the version first.
            return PeekVersion(payload) is { } v && v != ContractLimits.Version
                ? $"unsupported version v={v}; this server speaks v{ContractLimits.Version}"
                : $"malformed JSON: {ex.Message}";
        }
        if (value is null) return "payload is JSON null";
        var version = value switch
        {
            TelemetryBatch t => t.V,
            DeviceCommand c => c.V,
            CommandAck a => a.V,
            DeviceStatus s => s.V,
            DeviceConfig c => c.V,
            _ => ContractLimits.Version,
        };
        return version == ContractLimits.Version ? null : $"unsupported version v={version}; this server speaks v{ContractLimits.Version}";
    }

    static int? PeekVersion(ReadOnlySpan<byte> payload)
    {
        try
        {
            var reader = new Utf8JsonReader(payload);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isVersion = reader.ValueTextEquals("v"u8);
                reader.Read();
                if (isVersion) return reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var v) ? v : null;
                reader.Skip();
            }
        }
        catch (JsonException) { }
        return null;
    }
}
