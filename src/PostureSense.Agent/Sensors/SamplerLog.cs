using Microsoft.Extensions.Logging;

namespace PostureSense.Agent.Sensors;

/// <summary>The sampler's log lines, generated: they are checked on every FIFO poll.</summary>
static partial class SamplerLog
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "IMU FIFO overflowed (polled too late); samples lost, restarting sample time")]
    public static partial void FifoOverflowed(this ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "IMU sample clock is {Skew} off the system clock; re-anchoring")]
    public static partial void SampleClockSkew(this ILogger logger, TimeSpan skew);
}
