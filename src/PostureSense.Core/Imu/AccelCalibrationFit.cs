using System.Numerics;

namespace PostureSense.Core.Imu;

/// <summary>
/// The six-face calibration: at rest with an axis straight up it reads <c>s + o</c>, straight
/// down <c>-s + o</c>, so the offset is the mean of the two and the scale half their difference.
/// Pure: the readings come from whoever sampled the board.
/// </summary>
public static class AccelCalibrationFit
{
    /// <summary>The board's offset and scale from one good reading per face.</summary>
    /// <exception cref="ArgumentException">A face is missing, or a reading is not good (see <see cref="FaceReading.Check"/>).</exception>
    public static AccelCorrection Fit(IEnumerable<FaceReading> readings)
    {
        ArgumentNullException.ThrowIfNull(readings);
        var byFace = new Dictionary<AccelFace, Vector3>();
        foreach (var reading in readings)
        {
            if (reading.Check() is { } problem) throw new ArgumentException($"face {reading.Face.Instruction()}: {problem}", nameof(readings));
            byFace[reading.Face] = reading.Mean;
        }
        foreach (var face in AccelFaces.All)
            if (!byFace.ContainsKey(face)) throw new ArgumentException($"face {face.Instruction()} is missing", nameof(readings));

        Vector3 offset = default, scale = default;
        for (var axis = 0; axis < 3; axis++)
        {
            var up = byFace[(AccelFace)(axis * 2)][axis];
            var down = byFace[(AccelFace)(axis * 2 + 1)][axis];
            offset[axis] = (up + down) / 2;
            scale[axis] = (up - down) / 2;
        }
        var result = new AccelCorrection(offset, scale);
        return result.Problem() is { } bad ? throw new ArgumentException($"the fit is not a working MPU-6050: {bad}", nameof(readings)) : result;
    }
}
