namespace PostureSense.Server.Workers;

/// <summary>
/// How a failed background worker is restarted: exponential backoff with jitter from
/// <see cref="FirstDelay"/> up to <see cref="MaxDelay"/>. Real time by default (a worker waits on a
/// broker or a disk, not on the wearer); tests give a fake clock to restart it exactly when they say.
/// </summary>
public sealed record WorkerRestart
{
    public TimeSpan FirstDelay { get; init; } = TimeSpan.FromSeconds(1);
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(30);
    public TimeProvider Clock { get; init; } = TimeProvider.System;
}
