using PostureSense.Core.Device;

namespace PostureSense.Agent.Motor;

/// <summary>
/// A vibration motor behind one output that is set to a duty (0 = off, 1 = full) per pulse.
/// Patterns play one at a time, timed on the injected clock, and the output is left off
/// whatever happens: a motor left on after a cancel or a fault would buzz until power-off.
/// </summary>
public abstract class PulsedMotor : IVibrationMotor, IDisposable
{
    readonly TimeProvider _clock;
    readonly SemaphoreSlim _oneAtATime = new(1, 1);
    // Guards the output, so that a pattern still running cannot switch it on after Dispose.
    readonly Lock _output = new();
    bool _disposed;

    protected PulsedMotor(TimeProvider clock) => _clock = clock ?? throw new ArgumentNullException(nameof(clock));

    /// <summary>Sets the output: 0 off, up to 1 full on.</summary>
    protected abstract void Drive(double duty);

    /// <summary>Releases the output once it is off.</summary>
    protected abstract void Release();

    public async ValueTask PlayAsync(VibrationPattern pattern, int strengthPercent, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(strengthPercent);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(strengthPercent, 100);
        var pulses = VibrationPatterns.Pulses(pattern).ToArray();
        var duty = strengthPercent / 100.0;
        await _oneAtATime.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            foreach (var pulse in pulses)
            {
                Set(duty);
                await Task.Delay(pulse.On, _clock, cancellationToken).ConfigureAwait(false);
                Set(0);
                if (pulse.OffAfter > TimeSpan.Zero)
                    await Task.Delay(pulse.OffAfter, _clock, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            try
            {
                lock (_output)
                    if (!_disposed) Drive(0);
            }
            finally
            {
                _oneAtATime.Release();
            }
        }
    }

    void Set(double duty)
    {
        lock (_output)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            Drive(duty);
        }
    }

    public void Dispose()
    {
        lock (_output)
        {
            if (_disposed) return;
            _disposed = true;
            try { Drive(0); }
            finally { Release(); }
        }
        GC.SuppressFinalize(this);
    }
}
