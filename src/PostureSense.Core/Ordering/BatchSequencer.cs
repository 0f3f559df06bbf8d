using PostureSense.Core.Contract;

namespace PostureSense.Core.Ordering;

/// <summary>
/// Puts one device's telemetry batches back into seq order before the detectors see them, so that
/// batches which reach different server nodes out of order give the same prompts as in order.
/// No I/O and no clock of its own: the caller passes the time of each arrival and of each timer tick.
/// </summary>
/// <remarks>
/// <para>
/// A batch whose predecessors are all released goes out at once. A batch behind a missing seq is
/// held at most <see cref="BatchSequencerOptions.MaxGapWait"/> from its own arrival (or until
/// <see cref="BatchSequencerOptions.MaxHeld"/> are held); then the missing seqs are given up on and
/// everything held up to it goes out in order. The caller asks <see cref="NextDeadline"/> when to
/// call <see cref="ReleaseDue"/>, so one timer per device is enough.
/// </para>
/// <para>
/// A batch is identified by its seq and the ts of its first frame. A batch already released or held
/// is a redelivery and is dropped. A batch for a seq already passed comes out at once marked
/// <see cref="SequencedBatch.Late"/>, exactly once.
/// </para>
/// <para>
/// Session restart: a device that lost its outbox counts seq from 1 again. Within one session a
/// lower seq has older frames, so a batch whose seq is below one already released or held, but whose
/// first frame is newer than that batch's frames, starts a new session. Held batches older than it
/// belong to the old session and go out first; held batches newer than it stay held as the new
/// session's; then the sequencer starts over as if new.
/// </para>
/// <para>
/// Start: a new sequencer (a device seen for the first time, or after a restart) releases seq 1 at
/// once. Any other first seq is held for the gap wait in case a lower one is on its way, then the
/// lowest seq that arrived is where it starts; seqs below it that come later are late, not given up
/// on, because the sequencer never knew they were missing.
/// </para>
/// <para>
/// Known limits: a new session's batch whose seq is exactly the one expected next, arriving before
/// any lower seq of the new session, passes as the old session's continuation (the lower ones then
/// come out late). A late batch of an old session that arrives after a restart, with a seq the new
/// session has not reached yet, is taken as the new session's batch of that seq.
/// </para>
/// <para>Not thread-safe: a device's batches are handled one at a time (a grain's turn).</para>
/// </remarks>
public sealed class BatchSequencer
{
    readonly BatchSequencerOptions _options;
    readonly SortedDictionary<long, (TelemetryBatch Batch, DateTimeOffset Arrived)> _held = [];
    readonly HashSet<(long Seq, long FirstTs)> _remembered = [];
    readonly Queue<(long Seq, long FirstTs)> _rememberedOrder = new();
    long? _next;
    long _newestReleasedTs = long.MinValue;
    long _duplicates, _givenUp, _late, _restarts;

    public BatchSequencer(BatchSequencerOptions? options = null)
    {
        _options = options ?? BatchSequencerOptions.Default;
        _options.Validate();
    }

    /// <summary>What the sequencer has dropped, given up on, let through late and seen restart.</summary>
    public SequencerCounts Counts => new(_duplicates, _givenUp, _late, _restarts);

    /// <summary>Batches held back waiting for a missing seq.</summary>
    public int Held => _held.Count;

    /// <summary>When <see cref="ReleaseDue"/> will next have something to release; null while nothing is held.</summary>
    public DateTimeOffset? NextDeadline
    {
        get
        {
            if (_held.Count == 0) return null;
            var oldest = DateTimeOffset.MaxValue;
            foreach (var (_, arrived) in _held.Values) if (arrived < oldest) oldest = arrived;
            return oldest + _options.MaxGapWait;
        }
    }

    /// <summary>
    /// Takes a batch as it arrives at <paramref name="now"/>; returns what can go to the detectors now,
    /// in order, including anything whose wait has passed by then (so a late timer loses nothing).
    /// </summary>
    public IReadOnlyList<SequencedBatch> Accept(TelemetryBatch batch, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var released = new List<SequencedBatch>();
        Take(batch, now, released);
        Drain(now, released);
        return released;
    }

    void Take(TelemetryBatch batch, DateTimeOffset now, List<SequencedBatch> released)
    {
        var id = Identity(batch);
        if (_remembered.Contains(id) || _held.TryGetValue(batch.Seq, out var same) && Identity(same.Batch) == id)
        {
            _duplicates++;
            return;
        }

        if (StartsNewSession(batch))
        {
            // What the old session still holds is older than the new session: it goes first.
            foreach (var seq in _held.Where(h => LastTs(h.Value.Batch) < id.FirstTs).Select(h => h.Key).ToList())
                ReleaseHeld(seq, released);
            _next = null;
            _restarts++;
        }
        else if (_next is { } next && batch.Seq < next || _held.ContainsKey(batch.Seq))
        {
            _late++;
            Release(batch, late: true, released);
            return;
        }

        _held[batch.Seq] = (batch, now);
    }

    // Within one session a lower seq has older frames. A batch below a seq already released or
    // held, yet newer than that batch, can only come from a new session.
    bool StartsNewSession(TelemetryBatch batch)
    {
        if (batch.Frames.Count == 0) return false;
        var firstTs = batch.Frames[0].Ts;
        if (_next is { } next && batch.Seq < next && firstTs > _newestReleasedTs) return true;
        foreach (var (seq, (held, _)) in _held)
            if (seq >= batch.Seq && firstTs > LastTs(held)) return true;
        return false;
    }

    /// <summary>Releases, in order, what has waited long enough by <paramref name="now"/>; for the caller's timer.</summary>
    public IReadOnlyList<SequencedBatch> ReleaseDue(DateTimeOffset now)
    {
        var released = new List<SequencedBatch>();
        Drain(now, released);
        return released;
    }

    void Drain(DateTimeOffset now, List<SequencedBatch> released)
    {
        while (_held.Count > 0)
        {
            var seq = _held.Keys.First();
            var ready = _next is { } next ? seq == next : seq == 1;
            if (!ready && _held.Count <= _options.MaxHeld && !AnyOverdue(now)) return;
            ReleaseLowest(released);
        }
    }

    void ReleaseLowest(List<SequencedBatch> released) => ReleaseHeld(_held.Keys.First(), released);

    void ReleaseHeld(long seq, List<SequencedBatch> released)
    {
        var batch = _held[seq].Batch;
        var skipped = _next is { } next && seq > next ? seq - next : 0;
        _givenUp += skipped;
        _held.Remove(seq);
        _next = seq + 1;
        Release(batch, late: false, released, afterGap: skipped > 0);
    }

    bool AnyOverdue(DateTimeOffset now)
    {
        foreach (var (_, arrived) in _held.Values)
            if (now - arrived >= _options.MaxGapWait) return true;
        return false;
    }

    void Release(TelemetryBatch batch, bool late, List<SequencedBatch> released, bool afterGap = false)
    {
        released.Add(new SequencedBatch(batch, late) { AfterGap = afterGap });
        if (batch.Frames.Count > 0) _newestReleasedTs = Math.Max(_newestReleasedTs, batch.Frames[^1].Ts);
        var id = Identity(batch);
        if (!_remembered.Add(id)) return;
        _rememberedOrder.Enqueue(id);
        if (_rememberedOrder.Count > _options.Remembered) _remembered.Remove(_rememberedOrder.Dequeue());
    }

    // A batch without frames never counts as older than anything, so it cannot signal a restart.
    static long LastTs(TelemetryBatch batch) => batch.Frames.Count > 0 ? batch.Frames[^1].Ts : long.MaxValue;

    static (long Seq, long FirstTs) Identity(TelemetryBatch batch) =>
        (batch.Seq, batch.Frames.Count > 0 ? batch.Frames[0].Ts : long.MinValue);
}
