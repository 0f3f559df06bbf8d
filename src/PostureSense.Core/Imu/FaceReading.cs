using System.Numerics;

namespace PostureSense.Core.Imu;

/// <summary>
/// A few seconds of accelerometer samples with the board resting on one face: their mean, and
/// how much they moved. Add samples, then <see cref="Check"/> whether the face can be used.
/// </summary>
public sealed class FaceReading(AccelFace face)
{
    /// <summary>Largest standard deviation on any axis of a board at rest, g: the chip's noise is about 4 mg.</summary>
    public const double MaxStillSpreadG = 0.02;
    /// <summary>How far the up axis may read from 1 g (offset plus sensitivity error, with room).</summary>
    public const double MaxUpErrorG = 0.2;
    /// <summary>How far a level axis may read from 0 g: offset plus a board that is a few degrees off level.</summary>
    public const double MaxLevelErrorG = 0.2;

    Vector3 _sum;
    Vector3 _sumSquares;

    public AccelFace Face => face;
    public int Count { get; private set; }
    public Vector3 Mean => Count == 0 ? Vector3.Zero : _sum / Count;

    public void Add(Vector3 accelG)
    {
        _sum += accelG;
        _sumSquares += accelG * accelG;
        Count++;
    }

    /// <summary>The largest per-axis standard deviation of the samples, g.</summary>
    public double Spread()
    {
        if (Count < 2) return 0;
        var mean = Mean;
        var variance = _sumSquares / Count - mean * mean;
        return Math.Sqrt(Math.Max(0, Math.Max(variance.X, Math.Max(variance.Y, variance.Z))));
    }

    /// <summary>Why this face must be taken again (it moved, or it is not the face asked for); null when it is good.</summary>
    public string? Check()
    {
        if (Count < 10) return $"only {Count} samples";
        if (Spread() > MaxStillSpreadG)
            return $"the board moved (spread {Spread() * 1000:0} mg, at most {MaxStillSpreadG * 1000:0} mg); keep it still";
        var mean = Mean;
        var axis = face.Axis();
        var up = mean[axis] * face.Sign();
        if (Math.Abs(up - 1) > MaxUpErrorG)
            return $"the {"XYZ"[axis]} axis reads {mean[axis]:+0.00;-0.00} g, not near {face.Sign():+0;-0} g; rest the board with its {face.Instruction()}";
        for (var i = 0; i < 3; i++)
            if (i != axis && Math.Abs(mean[i]) > MaxLevelErrorG)
                return $"the {"XYZ"[i]} axis reads {mean[i]:+0.00;-0.00} g, not near 0 g; rest the board flat with its {face.Instruction()}";
        return null;
    }
}
