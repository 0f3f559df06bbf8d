using PostureSense.Core.Posture;

namespace PostureSense.Agent.Clock;

/// <summary>
/// Frames wait here between the sampler and the outbox, and go on only with true times. While the
/// system clock is not synchronized they are held, each with where the clock stood against
/// monotonic time when it was made; once it is, each is moved by how far the clock was then from
/// what it is now, so frames made while a Pi ran hours behind land in the hours they were lived.
/// Monotonic time never steps, so that difference is exactly the clock's correction.
/// Thread-safe: frames come from the sampling thread, batches are taken on the batching one.
/// </summary>
/// <param name="maxHeld">The most frames held while waiting (the outbox's size); past it the oldest go.</param>
public sealed class FrameStamper(TimeProvider clock, IClockSync sync, int maxHeld)
{
    /// <summary>A change of the clock against monotonic time this large is a step, not jitter.</summary>
    const long StepMs = 1000;

    readonly Lock _gate = new();
    readonly Queue<(PostureFrame Frame, long BaseMs)> _frames = new();
    long? _lastBaseMs;
    long _lastSentTs = long.MinValue;

    /// <summary>Frames waiting for the next batch, or for the clock.</summary>
    public int Held { get { lock (_gate) return _frames.Count; } }

    /// <summary>Frames dropped: made across a clock step (its time is on neither side), out of time order, or past <c>maxHeld</c>.</summary>
    public long Dropped { get; private set; }

    /// <summary>Whether the clock was synchronized at the last <see cref="TakeReady"/>.</summary>
    public bool Synchronized { get; private set; } = true;

    /// <summary>A frame just made, stamped on the system clock as it stands now.</summary>
    public void Add(PostureFrame frame)
    {
        var baseMs = BaseMs();
        lock (_gate)
        {
            var stepped = _lastBaseMs is { } last && Math.Abs(baseMs - last) > StepMs;
            _lastBaseMs = baseMs;
            // Its second began before the step and ended after it: its ts is on the old clock, but
            // it is known by the new one. One second lost at a step beats one put hours off.
            if (stepped) { Dropped++; return; }
            _frames.Enqueue((frame, baseMs));
            while (_frames.Count > maxHeld) { _frames.Dequeue(); Dropped++; }
        }
    }

    /// <summary>
    /// The frames that may go to the outbox now, on true time and in time order; none while the
    /// clock is not synchronized (they wait).
    /// </summary>
    public IReadOnlyList<PostureFrame> TakeReady()
    {
        Synchronized = sync.IsSynchronized;
        if (!Synchronized) return [];
        var nowBase = BaseMs();
        lock (_gate)
        {
            var ready = new List<PostureFrame>(_frames.Count);
            while (_frames.TryDequeue(out var held))
            {
                // Whole seconds, so frames keep the second boundaries they were made on.
                var shift = (long)Math.Round((nowBase - held.BaseMs) / (double)StepMs) * StepMs;
                var frame = shift == 0 ? held.Frame : held.Frame with { Ts = held.Frame.Ts + shift };
                // A clock set back over frames already sent would send the same seconds again.
                if (frame.Ts <= _lastSentTs) { Dropped++; continue; }
                _lastSentTs = frame.Ts;
                ready.Add(frame);
            }
            return ready;
        }
    }

    /// <summary>The system clock minus monotonic time, ms: constant while the clock is not set.</summary>
    long BaseMs() =>
        clock.GetUtcNow().ToUnixTimeMilliseconds() - (long)(clock.GetTimestamp() * 1000.0 / clock.TimestampFrequency);
}
