using PostureSense.Core.Device;

namespace PostureSense.FirmwareSim.Motor;

/// <summary>
/// The simulator's vibration motor: records every pattern with its clock time and strength and plays it for
/// the pattern's length on the clock, so a caller that awaits it behaves as with the real motor.
/// </summary>
/// <remarks>
/// One delay for the whole pattern, set up before PlayAsync first yields, and on/off derived from
/// the clock: a chain of per-pulse delays would start each one late under a fake clock advanced
/// in jumps, since continuations run after the jump.
/// </remarks>
public sealed class RecordingMotor(TimeProvider clock) : IVibrationMotor
{
    readonly Lock _gate = new();
    readonly List<RecordedVibration> _vibrations = [];
    readonly List<(DateTimeOffset Start, VibrationPulse[] Pulses)> _playing = [];

    /// <summary>Raised, on the caller's thread, as each pattern starts.</summary>
    public event Action<RecordedVibration>? Vibrated;

    /// <summary>A snapshot of the patterns played so far, oldest first.</summary>
    public IReadOnlyList<RecordedVibration> Vibrations
    {
        get { lock (_gate) return _vibrations.ToArray(); }
    }

    /// <summary>Whether a pulse of a pattern still playing is on at the clock's now.</summary>
    public bool IsOn
    {
        get
        {
            var now = clock.GetUtcNow();
            lock (_gate) return _playing.Exists(p => PulseOn(p.Pulses, now - p.Start));
        }
    }

    public async ValueTask PlayAsync(VibrationPattern pattern, int strengthPercent, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(strengthPercent);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(strengthPercent, 100);
        var pulses = VibrationPatterns.Pulses(pattern).ToArray(); // validates the pattern before recording it
        var length = pulses.Aggregate(TimeSpan.Zero, (sum, p) => sum + p.On + p.OffAfter);
        var record = new RecordedVibration(clock.GetUtcNow(), pattern, strengthPercent);
        var playing = (record.At, pulses);
        lock (_gate)
        {
            _vibrations.Add(record);
            _playing.Add(playing);
        }
        try
        {
            Vibrated?.Invoke(record);
            await Task.Delay(length, clock, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            lock (_gate) _playing.Remove(playing); // off, also when cancelled
        }
    }

    static bool PulseOn(VibrationPulse[] pulses, TimeSpan offset)
    {
        foreach (var pulse in pulses)
        {
            if (offset < TimeSpan.Zero) return false;
            if (offset < pulse.On) return true;
            offset -= pulse.On + pulse.OffAfter;
        }
        return false;
    }
}
