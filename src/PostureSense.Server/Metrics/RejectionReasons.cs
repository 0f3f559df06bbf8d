namespace PostureSense.Server.Metrics;

/// <summary>
/// Stable keys for what was rejected. The contract's validator words its reasons for people, with
/// the offending values in them; counting by those sentences would make one counter per value,
/// so they are folded into these keys here.
/// </summary>
public static class RejectionReasons
{
    public const string Oversized = "oversized";
    public const string MalformedJson = "malformed-json";
    public const string UnsupportedVersion = "unsupported-version";
    public const string InvalidBatch = "invalid-batch";
    public const string FutureTimestamp = "future-timestamp";
    public const string ClockNotSet = "clock-not-set";
    public const string AbsurdAngle = "absurd-angle";
    public const string AbsurdMotion = "absurd-motion";
    public const string AbsurdSteps = "absurd-steps";
    public const string InvalidAck = "invalid-ack";
    public const string InvalidStatus = "invalid-status";
    public const string UnknownTopic = "unknown-topic";
    /// <summary>A client publishing under a device id that is not its own (refused by the embedded broker).</summary>
    public const string WrongPublisher = "wrong-publisher";
    public const string Other = "other";

    // Failures on our side, not the sender's.
    public const string StoreFailed = "store-failed";
    /// <summary>The time series database refused some points of a write for good (a partial write).</summary>
    public const string StoreDropped = "store-dropped";
    /// <summary>The store refused a message for good; it is kept as a dead letter (counted by the dead letter's own reason too).</summary>
    public const string StoreDeadLettered = "store-dead-lettered";
    public const string CommandFailed = "command-failed";
    public const string InternalError = "internal-error";

    /// <summary>The key for a reason from <c>WireFormat</c>.</summary>
    public static string Classify(string reason, string fallback = Other)
    {
        bool Has(string text) => reason.Contains(text, StringComparison.OrdinalIgnoreCase);
        if (Has("exceeds the") && Has("byte limit")) return Oversized;
        if (Has("unsupported version")) return UnsupportedVersion;
        if (Has("malformed json") || Has("empty payload") || Has("json null")) return MalformedJson;
        if (Has("a batch holds") || Has("time order") || reason.StartsWith("seq ", StringComparison.Ordinal)) return InvalidBatch;
        if (Has("in the future")) return FutureTimestamp;
        if (Has("before 2020")) return ClockNotSet;
        if (reason.StartsWith("pitch ", StringComparison.Ordinal) || reason.StartsWith("roll ", StringComparison.Ordinal)) return AbsurdAngle;
        if (reason.StartsWith("motion ", StringComparison.Ordinal)) return AbsurdMotion;
        if (reason.StartsWith("steps ", StringComparison.Ordinal)) return AbsurdSteps;
        return fallback;
    }
}
