namespace PostureSense.FirmwareSim.Sensor;

/// <summary>
/// Gaussian noise as a pure function of (seed, instant, channel): the same sample reads the same
/// whether it comes from the data registers or the FIFO, and a run repeats exactly for a seed.
/// </summary>
internal static class SeededNoise
{
    public static double Gaussian(int seed, long ticks, int channel)
    {
        var h = Mix((ulong)(uint)seed * 0x9E3779B97F4A7C15UL ^ (ulong)ticks * 0xBF58476D1CE4E5B9UL ^ (ulong)channel * 0x94D049BB133111EBUL);
        var h2 = Mix(h + 0x9E3779B97F4A7C15UL);
        // Box-Muller on two uniforms in (0, 1].
        var u1 = ((h >> 11) + 1) * (1.0 / (1UL << 53));
        var u2 = (h2 >> 11) * (1.0 / (1UL << 53));
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }

    /// <summary>SplitMix64's finaliser.</summary>
    static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
