namespace PostureSense.Agent.Exercises;

/// <summary>
/// How many samples fell at each angle, in 0.5° bins over ±180°: quantiles (a baseline that a few
/// big movements cannot drag) and "how long at or beyond this angle" (a hold's length) without
/// keeping the samples. Allocates once.
/// </summary>
internal sealed class AngleHistogram
{
    const double BinDeg = 0.5, MinDeg = -180;
    readonly int[] _bins = new int[(int)(360 / BinDeg) + 1];

    public int Count { get; private set; }
    /// <summary>The largest angle added since the last clear.</summary>
    public double Max { get; private set; } = double.NegativeInfinity;

    public void Add(double deg)
    {
        _bins[Bin(deg)]++;
        Count++;
        if (deg > Max) Max = deg;
    }

    public void Clear()
    {
        Array.Clear(_bins);
        Count = 0;
        Max = double.NegativeInfinity;
    }

    /// <summary>The angle below which a fraction <paramref name="q"/> of the samples lie (to a bin); NaN when empty.</summary>
    public double Quantile(double q)
    {
        if (Count == 0) return double.NaN;
        var target = Math.Max(1, (int)Math.Ceiling(q * Count));
        var seen = 0;
        for (var i = 0; i < _bins.Length; i++)
        {
            seen += _bins[i];
            if (seen >= target) return MinDeg + (i + 0.5) * BinDeg;
        }
        return MinDeg + _bins.Length * BinDeg;
    }

    /// <summary>Samples at or above <paramref name="deg"/> (to a bin).</summary>
    public int CountAtLeast(double deg)
    {
        var n = 0;
        for (var i = Bin(deg); i < _bins.Length; i++) n += _bins[i];
        return n;
    }

    static int Bin(double deg) => (int)Math.Clamp(Math.Floor((deg - MinDeg) / BinDeg), 0, 360 / BinDeg);
}
