using System.Numerics;

namespace PostureSense.Core.Imu;

/// <summary>
/// One board's accelerometer errors, per axis: it reads <c>Scale * true + OffsetG</c>. The
/// MPU-6050 datasheet allows ±50 mg offset on X and Y, ±80 mg on Z and ±3% sensitivity, which
/// moves pitch by 1-2° near the hunch threshold; <see cref="Apply"/> takes them back out.
/// </summary>
public readonly record struct AccelCorrection(Vector3 OffsetG, Vector3 Scale)
{
    /// <summary>Widest offset accepted, g: the datasheet's ±80 mg with room for a board at its worst.</summary>
    public const float MaxOffsetG = 0.15f;
    /// <summary>Widest sensitivity error accepted: the datasheet's ±3% with the same room.</summary>
    public const float MaxScaleError = 0.10f;

    public static AccelCorrection Identity { get; } = new(Vector3.Zero, Vector3.One);

    /// <summary>The true specific force (g) for a reading of this board.</summary>
    public Vector3 Apply(Vector3 rawG) => (rawG - OffsetG) / Scale;

    /// <summary>Why these values cannot be a real MPU-6050's; null when they can.</summary>
    public string? Problem()
    {
        string[] axes = ["X", "Y", "Z"];
        for (var i = 0; i < 3; i++)
        {
            float o = OffsetG[i], s = Scale[i];
            if (!float.IsFinite(o) || Math.Abs(o) > MaxOffsetG)
                return $"the {axes[i]} offset {o:0.####} g is outside ±{MaxOffsetG} g";
            if (!float.IsFinite(s) || Math.Abs(s - 1) > MaxScaleError)
                return $"the {axes[i]} scale {s:0.####} is outside 1 ± {MaxScaleError}";
        }
        return null;
    }
}
