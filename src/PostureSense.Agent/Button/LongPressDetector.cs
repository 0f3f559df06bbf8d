namespace PostureSense.Agent.Button;

/// <summary>
/// Turns a push button's raw, bouncing level into presses, timed on a <see cref="TimeProvider"/>.
/// A level counts once it has held still for <see cref="Debounce"/> (contacts bounce for a few
/// milliseconds). A press held for <see cref="LongPress"/> raises <see cref="LongPressed"/> once,
/// however long it is then held; a press let go sooner raises <see cref="ShortPressed"/>.
/// Levels may be reported from any thread; events are raised outside the lock.
/// </summary>
public sealed class LongPressDetector : IDisposable
{
    public static readonly TimeSpan DefaultDebounce = TimeSpan.FromMilliseconds(50);
    public static readonly TimeSpan DefaultLongPress = TimeSpan.FromSeconds(2);

    readonly Lock _gate = new();
    readonly TimeProvider _clock;
    readonly ITimer _settle;
    readonly ITimer _hold;
    bool _raw, _stable, _fired;
    DateTimeOffset _lastEdge;

    public LongPressDetector(TimeProvider clock, TimeSpan? debounce = null, TimeSpan? longPress = null)
    {
        _clock = clock ?? throw new ArgumentNullException(nameof(clock));
        Debounce = debounce ?? DefaultDebounce;
        LongPress = longPress ?? DefaultLongPress;
        if (Debounce <= TimeSpan.Zero || LongPress <= Debounce)
            throw new ArgumentOutOfRangeException(nameof(longPress), "the long press must be longer than the debounce time, and both positive");
        _settle = clock.CreateTimer(_ => OnSettled(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _hold = clock.CreateTimer(_ => OnHeld(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    public TimeSpan Debounce { get; }
    public TimeSpan LongPress { get; }

    /// <summary>The button was held for <see cref="LongPress"/> (raised once per press).</summary>
    public event Action? LongPressed;
    /// <summary>The button was pressed and let go before <see cref="LongPress"/>.</summary>
    public event Action? ShortPressed;

    /// <summary>The debounced state.</summary>
    public bool IsPressed
    {
        get { lock (_gate) return _stable; }
    }

    /// <summary>The raw level changed (an edge); every bounce may be reported.</summary>
    public void Update(bool pressed)
    {
        lock (_gate)
        {
            _raw = pressed;
            _lastEdge = _clock.GetUtcNow();
            _settle.Change(Debounce, Timeout.InfiniteTimeSpan);
        }
    }

    void OnSettled()
    {
        Action? raise = null;
        lock (_gate)
        {
            if (_raw == _stable) return; // a glitch shorter than the debounce time
            _stable = _raw;
            if (_stable)
            {
                // Counted from the edge that started the still press, not from this (maybe late) callback.
                var left = LongPress - (_clock.GetUtcNow() - _lastEdge);
                _fired = left <= TimeSpan.Zero;
                if (_fired) raise = LongPressed;
                else _hold.Change(left, Timeout.InfiniteTimeSpan);
            }
            else
            {
                _hold.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
                if (!_fired) raise = ShortPressed;
            }
        }
        raise?.Invoke();
    }

    void OnHeld()
    {
        lock (_gate)
        {
            if (!_stable || _fired) return;
            _fired = true;
        }
        LongPressed?.Invoke();
    }

    public void Dispose()
    {
        _settle.Dispose();
        _hold.Dispose();
    }
}
