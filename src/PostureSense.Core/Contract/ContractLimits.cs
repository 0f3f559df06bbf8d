namespace PostureSense.Core.Contract;

/// <summary>The bounds a v1 message must keep; anything outside is rejected with a reason.</summary>
public static class ContractLimits
{
    public const int Version = 1;
    public const int MaxTelemetryBytes = 16 * 1024;
    public const int MaxCommandBytes = 4 * 1024;
    public const int MaxFramesPerBatch = 60;
    public const double MaxAbsAngleDeg = 180;
    /// <summary>The accelerometer's widest range is ±16 g, so RMS motion above it cannot be real.</summary>
    public const double MaxMotionG = 16;
    /// <summary>People walk at 1-3 steps per second and sprint at under 5.</summary>
    public const int MaxStepsPerFrame = 10;
    /// <summary>Counted repetitions in an ack: the catalog's doses are 8 to 45.</summary>
    public const int MaxAckReps = 1000;
    /// <summary>Timed holds in an ack: the catalog asks for at most 10.</summary>
    public const int MaxAckHolds = 20;
    /// <summary>One hold in an ack, seconds: the catalog's longest is 30 s.</summary>
    public const double MaxAckHoldSeconds = 600;
    /// <summary>
    /// A device whose clock runs ahead of ours by more than this is not trusted. Wide enough for a
    /// clock minutes fast (the server learns its offset and coaches it like one on time) and for a
    /// device minutes slow reading the server's commands; narrow enough that no store's range is
    /// left and a bad ts outranks honest ones for half an hour at most, and only the device's own.
    /// </summary>
    public static readonly TimeSpan MaxFutureSkew = TimeSpan.FromMinutes(30);
    /// <summary>Earlier than 2020: a Pi without a real-time clock that booted without network time.</summary>
    public static readonly long MinPlausibleTs = new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();
}
