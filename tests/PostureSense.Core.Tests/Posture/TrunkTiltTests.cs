using System.Numerics;
using PostureSense.Core.Posture;

namespace PostureSense.Core.Tests.Posture;

public class TrunkTiltTests
{
    [Fact]
    public void Upright_reads_one_g_along_the_head_axis()
    {
        var up = TrunkTilt.UpInSensor(0, 0);
        Assert.Equal(1, up.X, 6);
        Assert.Equal(0, up.Y, 6);
        Assert.Equal(0, up.Z, 6);
    }

    [Fact]
    public void Hunching_forward_tips_gravity_toward_the_back_axis()
    {
        // 30° forward: the board's +Z (away from the body) now points half up.
        var up = TrunkTilt.UpInSensor(30, 0);
        Assert.Equal(0.8660254, up.X, 5);
        Assert.Equal(0.5, up.Z, 5);
    }

    [Fact]
    public void Leaning_right_lifts_the_left_axis()
    {
        var up = TrunkTilt.UpInSensor(0, 10);
        Assert.Equal(Math.Sin(10 * Math.PI / 180), up.Y, 5);
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(25, -5)]
    [InlineData(-20, 12)]
    [InlineData(80, 30)]
    [InlineData(120, 0)]
    public void Pitch_and_roll_survive_the_round_trip(double pitch, double roll)
    {
        var (p, r) = TrunkTilt.FromUp(TrunkTilt.UpInSensor(pitch, roll) * 9.81f);
        Assert.Equal(pitch, p, 3);
        Assert.Equal(roll, r, 3);
    }

    [Fact]
    public void A_zero_vector_has_no_tilt()
    {
        var (p, r) = TrunkTilt.FromUp(Vector3.Zero);
        Assert.True(double.IsNaN(p) && double.IsNaN(r));
    }

    [Theory]
    [InlineData(0, 0, 0)]
    [InlineData(30, 0, 30)]
    [InlineData(-30, 0, 30)]
    [InlineData(0, -25, 25)]
    [InlineData(90, 0, 90)]     // face down, or on hands and knees
    [InlineData(-90, 0, 90)]    // on the back
    [InlineData(90, 50, 90)]    // on all fours, upper body turned (Thread the Needle)
    [InlineData(105, 0, 105)]   // on all fours, back rounded (Cat)
    [InlineData(60, 60, 75.52)] // cos = 0.25
    public void Tilt_from_vertical_is_the_same_whichever_way_the_trunk_leans(double pitch, double roll, double expected)
    {
        Assert.Equal(expected, TrunkTilt.FromVerticalDeg(pitch, roll), 2);
        var up = TrunkTilt.UpInSensor(pitch, roll);
        Assert.Equal(Math.Cos(expected * Math.PI / 180), up.X, 4);
    }
}
