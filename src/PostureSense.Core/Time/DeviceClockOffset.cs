namespace PostureSense.Core.Time;

/// <summary>
/// How far a device's clock is behind ours, learned from its live batches. A Raspberry Pi has no
/// real-time clock: one that booted offline runs on its last saved time until network time comes,
/// and a device whose clock is minutes slow would otherwise look like a replayed backlog and never
/// be coached.
/// <para>
/// Each batch shows <c>arrival - newest frame ts</c>: the skew plus a delay that is never negative
/// (the frame's window, the batch period, the network, a wait in the device's outbox). The lowest
/// such value is the skew plus the shortest delay, so the estimate follows the low envelope: a
/// lower value is taken at once, and a backlog (only ever higher) cannot move it. A higher level is
/// taken only once batches have held it steadily for <see cref="SteadyFor"/>: that is a device
/// clock stepped back, while a replay's values fall batch by batch as it catches up. Until then
/// frames look older than they are, which can delay a prompt but never sends a stale one.
/// </para>
/// <para>Offsets within <see cref="Tolerance"/> are ordinary latency: such a device is on time.</para>
/// </summary>
public sealed class DeviceClockOffset
{
    /// <summary>Latency and batching that are not skew: a live batch's newest frame is a few seconds old.</summary>
    public static readonly TimeSpan Tolerance = TimeSpan.FromSeconds(10);

    /// <summary>How long batches must hold a higher offset before it is believed.</summary>
    public static readonly TimeSpan SteadyFor = TimeSpan.FromSeconds(30);

    /// <summary>Batches in a steady run before it is believed, however long they took to come.</summary>
    const int SteadyBatches = 3;

    static readonly long ToleranceMs = (long)Tolerance.TotalMilliseconds;

    /// <summary>The low envelope, ms; zero until the device shows otherwise (it is then trusted as on time).</summary>
    long _low;
    long _runStart;
    long _runMin;
    long _runMax;
    int _runCount;

    /// <summary>Our clock minus the device's, ms; zero when within <see cref="Tolerance"/>.</summary>
    public long OffsetMs => Math.Abs(_low) <= ToleranceMs ? 0 : _low;

    /// <summary>Learns from a batch that arrived at <paramref name="arrivedAt"/> (our clock) with its newest frame at <paramref name="newestTs"/> (the device's).</summary>
    public void Observe(DateTimeOffset arrivedAt, long newestTs)
    {
        var arrived = arrivedAt.ToUnixTimeMilliseconds();
        var offset = arrived - newestTs;
        if (offset <= _low + ToleranceMs)
        {
            // At the known level or below it: live, and the envelope follows anything lower at once.
            _low = Math.Min(_low, offset);
            _runCount = 0;
            return;
        }
        if (_runCount == 0 || Math.Max(_runMax, offset) - Math.Min(_runMin, offset) > ToleranceMs)
        {
            // A new level, or one that is not steady (a backlog catching up): it starts again here.
            (_runStart, _runMin, _runMax, _runCount) = (arrived, offset, offset, 1);
            return;
        }
        (_runMin, _runMax, _runCount) = (Math.Min(_runMin, offset), Math.Max(_runMax, offset), _runCount + 1);
        if (_runCount >= SteadyBatches && arrived - _runStart >= (long)SteadyFor.TotalMilliseconds)
        {
            _low = _runMin;
            _runCount = 0;
        }
    }

    /// <summary>A device timestamp on our clock.</summary>
    public long ToOurTime(long deviceTs) => deviceTs + OffsetMs;
}
