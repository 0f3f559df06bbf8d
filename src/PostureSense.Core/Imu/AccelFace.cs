using System.Numerics;

namespace PostureSense.Core.Imu;

/// <summary>A face the board rests on for calibration, named by the axis that then points up.</summary>
public enum AccelFace { XUp, XDown, YUp, YDown, ZUp, ZDown }

public static class AccelFaces
{
    public static IReadOnlyList<AccelFace> All { get; } = Enum.GetValues<AccelFace>();

    /// <summary>The axis (0 X, 1 Y, 2 Z) that reads ±1 g on this face.</summary>
    public static int Axis(this AccelFace face) => (int)face / 2;

    /// <summary>+1 when the axis points up (reads +1 g), -1 when down.</summary>
    public static int Sign(this AccelFace face) => (int)face % 2 == 0 ? 1 : -1;

    /// <summary>What an ideal accelerometer reads at rest on this face, g.</summary>
    public static Vector3 Ideal(this AccelFace face)
    {
        var v = Vector3.Zero;
        v[face.Axis()] = face.Sign();
        return v;
    }

    /// <summary>How to put the board down, for the person calibrating it.</summary>
    public static string Instruction(this AccelFace face) =>
        $"{"XYZ"[face.Axis()]} axis pointing {(face.Sign() > 0 ? "up" : "down")}";
}
