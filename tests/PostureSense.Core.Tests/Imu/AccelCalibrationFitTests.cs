using System.Numerics;
using PostureSense.Core.Imu;
using Xunit;

namespace PostureSense.Core.Tests.Imu;

public class AccelCalibrationFitTests
{
    static readonly Vector3 Offset = new(0.045f, -0.032f, 0.071f);
    static readonly Vector3 Scale = new(1.027f, 0.976f, 1.012f);

    /// <summary>A board with known errors at rest on a face, with a little seeded noise.</summary>
    static FaceReading Rest(AccelFace face, double wobbleG = 0.004, int seed = 1)
    {
        var random = new Random(seed + (int)face);
        var reading = new FaceReading(face);
        for (var i = 0; i < 150; i++)
        {
            var noise = new Vector3((float)(random.NextDouble() - 0.5), (float)(random.NextDouble() - 0.5), (float)(random.NextDouble() - 0.5)) * (float)(wobbleG * 3.4);
            reading.Add(Scale * (face.Ideal() + noise) + Offset);
        }
        return reading;
    }

    [Fact]
    public void A_board_with_known_offset_and_scale_gives_them_back()
    {
        var fit = AccelCalibrationFit.Fit(AccelFaces.All.Select(f => Rest(f)));

        for (var axis = 0; axis < 3; axis++)
        {
            Assert.Equal(Offset[axis], fit.OffsetG[axis], 0.002f);
            Assert.Equal(Scale[axis], fit.Scale[axis], 0.002f);
        }
        // The corrected reading of a face is 1 g on its axis again.
        Assert.Equal(1f, fit.Apply(Scale * Vector3.UnitZ + Offset).Z, 0.001f);
    }

    [Fact]
    public void A_face_that_moved_is_refused()
    {
        var moved = Rest(AccelFace.YDown, wobbleG: 0.1);

        Assert.Contains("moved", moved.Check());
        var error = Assert.Throws<ArgumentException>(() => AccelCalibrationFit.Fit(AccelFaces.All.Select(f => f == AccelFace.YDown ? moved : Rest(f))));
        Assert.Contains("Y axis pointing down", error.Message);
    }

    [Fact]
    public void A_face_not_near_one_g_on_its_axis_is_refused()
    {
        // Asked for Z up, the board was left with X up.
        var wrong = new FaceReading(AccelFace.ZUp);
        foreach (var sample in Enumerable.Repeat(Vector3.UnitX, 50)) wrong.Add(sample);

        Assert.Contains("Z axis reads +0.00 g, not near +1 g", wrong.Check());
    }

    [Fact]
    public void A_missing_face_is_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => AccelCalibrationFit.Fit(AccelFaces.All.Where(f => f != AccelFace.XDown).Select(f => Rest(f))));
        Assert.Contains("X axis pointing down", error.Message);
    }

    [Fact]
    public void Values_no_MPU_6050_could_have_are_named()
    {
        Assert.Null(AccelCorrection.Identity.Problem());
        Assert.Contains("Z offset", new AccelCorrection(new Vector3(0, 0, 0.4f), Vector3.One).Problem());
        Assert.Contains("Y scale", new AccelCorrection(Vector3.Zero, new Vector3(1, float.NaN, 1)).Problem());
    }
}
