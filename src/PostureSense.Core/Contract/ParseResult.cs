namespace PostureSense.Core.Contract;

/// <summary>A parsed message, or the reason it was rejected.</summary>
public readonly record struct ParseResult<T>(T? Value, string? Error) where T : class
{
    public bool Ok => Value is not null;
    public static ParseResult<T> Accept(T value) => new(value, null);
    public static ParseResult<T> Reject(string error) => new(null, error);
}

/// <summary>A frame that was left out of an otherwise valid batch, and why.</summary>
public readonly record struct RejectedFrame(int Index, long Ts, string Reason);

/// <summary>
/// A telemetry batch after validation: the frames worth keeping, and the ones that were not.
/// One bad frame does not cost the other frames of its batch.
/// </summary>
public sealed record ValidatedTelemetry(TelemetryBatch Batch, IReadOnlyList<RejectedFrame> Rejected);
