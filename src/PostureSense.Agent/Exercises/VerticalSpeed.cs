namespace PostureSense.Agent.Exercises;

/// <summary>
/// How fast the upper back is moving up or down, from the vertical acceleration integrated once.
/// A slow mean of the acceleration is taken out first and the speed leaks away over seconds, so a
/// board's offset or drift cannot add up to a movement (a speed, unlike a height, keeps an offset
/// of a milligram to a few mm/s); and the acceleration is averaged over a second, which steps
/// (about 2 a second) cancel out of. Kneeling down (0.45 m in about 1.6 s, 0.4 m/s at its fastest)
/// reads about 0.25 m/s down; a walk's bounce about 0.1 m/s either way, a very slow one 0.19.
/// </summary>
internal sealed class VerticalSpeed
{
    const double StandardGravity = 9.80665;
    /// <summary>Slower than any movement of the body, faster than a board's temperature drift.</summary>
    const double MeanSeconds = 5;
    const double LeakSeconds = 2;

    readonly double _sampleSeconds;
    readonly double[] _window; // the last second of acceleration, less the mean, g
    int _next;
    double _windowSum, _meanG;
    bool _started;

    public VerticalSpeed(int sampleRateHz)
    {
        _sampleSeconds = 1.0 / sampleRateHz;
        _window = new double[sampleRateHz];
    }

    /// <summary>Metres a second, negative: going down.</summary>
    public double Mps { get; private set; }

    public void Observe(double verticalAccelG)
    {
        if (!_started)
        {
            _meanG = verticalAccelG;
            _started = true;
        }
        var dt = _sampleSeconds;
        _meanG += (verticalAccelG - _meanG) * dt / MeanSeconds;
        var deviation = verticalAccelG - _meanG;
        _windowSum += deviation - _window[_next];
        _window[_next] = deviation;
        _next = (_next + 1) % _window.Length;
        Mps += _windowSum / _window.Length * StandardGravity * dt - Mps * dt / LeakSeconds;
    }

    /// <summary>Forgets the movement so far (the trunk tipped: what the board reads now is no longer the body's rise or fall).</summary>
    public void Reset()
    {
        Mps = 0;
        Array.Clear(_window);
        _windowSum = 0;
    }
}
