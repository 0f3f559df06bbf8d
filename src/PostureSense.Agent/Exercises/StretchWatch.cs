using PostureSense.Agent.Processing;

namespace PostureSense.Agent.Exercises;

/// <summary>
/// Watches the stretch a prompt asked for, on the processor's samples: <see cref="Begin"/> from any
/// thread; the session runs on the sampling thread and calls back there when it is over. One
/// stretch at a time: a new prompt ends the one before with what it counted.
/// </summary>
public sealed class StretchWatch
{
    readonly int _sampleRateHz;
    readonly StretchWatchSettings _settings;
    readonly FloorWatch _floor; // the sampling thread's: watched between prompts too, since the wearer may get down first
    Watched? _pending; // set by Begin on any thread, taken by the sampling thread
    Watched? _active;   // the sampling thread's own

    sealed record Watched(StretchSession Session, Action<StretchResult> Done);

    public StretchWatch(PostureProcessor processor, StretchWatchSettings? settings = null)
    {
        ArgumentNullException.ThrowIfNull(processor);
        _sampleRateHz = processor.SampleRateHz;
        _settings = settings ?? new StretchWatchSettings();
        _floor = new FloorWatch(_sampleRateHz, _settings);
        processor.TrunkSampled += Observe;
    }

    /// <summary>Whether the device can count this exercise from the upper back (not the rows).</summary>
    public static bool CanCount(string? exerciseId) => StretchSession.CanCount(exerciseId);

    /// <summary>Starts watching for the stretch from the next sample; <paramref name="done"/> gets the result on the sampling thread.</summary>
    public void Begin(string commandId, string exerciseId, DateTimeOffset promptedAt, Action<StretchResult> done)
    {
        var session = new StretchSession(commandId, exerciseId, promptedAt.UtcTicks, _sampleRateHz, _settings, _floor);
        Volatile.Write(ref _pending, new Watched(session, done));
    }

    void Observe(TrunkSample sample)
    {
        _floor.Observe(sample);
        if (Volatile.Read(ref _pending) is not null && Interlocked.Exchange(ref _pending, null) is { } next)
        {
            _active?.Done(_active.Session.Finish(timedOut: false));
            _active = next;
        }
        if (_active is not { } active || active.Session.Observe(sample) is not { } result) return;
        _active = null;
        active.Done(result);
    }
}
