using System.Numerics;
using PostureSense.Agent.Fusion;
using PostureSense.Agent.Replay;
using PostureSense.Agent.Tests.Support;
using PostureSense.Core.Posture;
using PostureSense.FirmwareSim.Sensor;
using PostureSense.FirmwareSim.Wearer;

namespace PostureSense.Agent.Tests.Processing;

public class TwistTests
{
    // A typical board: noise, a gyro offset that calibration removes, mounted a little pitched.
    static readonly SensorCharacteristics Board = new() { GyroBiasDps = new(2f, -1.5f, 1f), MountingPitchDeg = 6, Seed = 11 };

    static ReplayResult Replay(IWearerModel wearer, double seconds, SensorCharacteristics? board = null) =>
        OfflineReplay.Run(clock => new SimulatedMpu6050(wearer, clock, board ?? Board), TimeSpan.FromSeconds(seconds));

    /// <summary>Frames from <paramref name="from"/> s to <paramref name="to"/> s of the replay.</summary>
    static List<PostureFrame> Between(ReplayResult result, double from, double to)
    {
        var start = result.Frames[0].Ts;
        return result.Frames.Where(f => f.Ts - start >= from * 1000 && f.Ts - start < to * 1000).ToList();
    }

    [Theory]
    [InlineData(40)]
    [InlineData(-40)]
    [InlineData(30)]
    public void A_hunch_turned_to_a_side_monitor_reads_its_true_flexion(double twist)
    {
        // Turned first, then hunched in the turned trunk's plane, held for a minute.
        var result = Replay(new PostureScript((5, 0, 0, twist), (70, 23, 0, twist)), 80);

        var held = Between(result, 15, 80);
        Assert.NotEmpty(held);
        Assert.All(held, f => Assert.InRange(f.Flexion!.Value, 21.5, 24.5));
        // The pitch alone misses most of it: that is what flexion is for.
        Assert.All(held, f => Assert.True(f.Pitch < f.Flexion - 1.5, $"pitch {f.Pitch}, flexion {f.Flexion}"));
    }

    [Fact]
    public void Hunching_first_and_then_turning_reads_the_same()
    {
        var result = Replay(new PostureScript((5, 23, 0, 0), (70, 23, 0, 40)), 80);
        Assert.All(Between(result, 15, 80), f => Assert.InRange(f.Flexion!.Value, 21.5, 24.5));
    }

    [Theory]
    [InlineData(22)]
    [InlineData(-25)]
    public void A_lean_on_an_armrest_is_no_flexion(double roll)
    {
        var result = Replay(new PostureScript((600, 0, roll, 0)), 610);
        Assert.All(Between(result, 10, 610), f => Assert.InRange(f.Flexion!.Value, -1, 3));
    }

    [Fact]
    public void A_board_warming_on_the_body_does_not_drift_a_lean_into_a_hunch()
    {
        // Put on cold and warming 14 °C: the gyro offset about the trunk's axis moves 0.84 °/s
        // away from what calibration measured, for the whole 10 minutes of leaning.
        var warming = Board with
        {
            TemperatureC = 18, WarmUpC = 14, WarmUpTime = TimeSpan.FromMinutes(5), GyroBiasDriftDpsPerC = new(0.06f, -0.05f, 0.04f),
        };
        var result = Replay(new PostureScript((600, 2, 22, 0)), 610, warming);
        Assert.All(Between(result, 10, 610), f => Assert.InRange(f.Flexion!.Value, -1, 4));

        // Ten minutes upright while it warms, then a lean forward and to the side whose direction
        // a drifted twist of 30° would agree with: it must still read its pitch.
        result = Replay(new PostureScript((600, 0, 0, 0), (120, 17, 10, 0)), 725, warming);
        Assert.All(Between(result, 615, 725), f => Assert.InRange(f.Flexion!.Value - f.Pitch, -0.5, 0.5));
    }

    [Fact]
    public void Upright_and_turned_to_a_side_monitor_is_no_flexion()
    {
        var result = Replay(new PostureScript((300, 0, 0, 40)), 310);
        Assert.All(Between(result, 10, 310), f => Assert.InRange(f.Flexion!.Value, -2, 2));
    }

    [Fact]
    public void Turning_back_leaves_no_twist_and_a_lean_then_is_no_hunch()
    {
        // A side monitor for 10 minutes, back to the front, then a long lean on the armrest.
        var result = Replay(new PostureScript((600, 23, 0, 40), (10, 0, 0, 0), (300, 0, 24, 0)), 925);
        Assert.All(Between(result, 625, 925), f => Assert.InRange(f.Flexion!.Value, -1, 3));
    }

    [Fact]
    public void A_chair_swivelled_to_a_side_desk_is_no_twist_and_a_lean_on_the_armrest_then_is_no_hunch()
    {
        // The chair turned 90° to the left, then a lean forward 16° and 14° to the right for 5 minutes:
        // read as a 50° twist, the lean's direction would agree with it and read about 21°.
        var result = Replay(new SwivellingWearer((20, 0, 0, 90), (300, 16, 14, 90)), 330);
        Assert.All(Between(result, 40, 330), f => Assert.InRange(f.Flexion!.Value - f.Pitch, -0.5, 0.5));
        Assert.All(Between(result, 40, 330), f => Assert.InRange(f.Flexion!.Value, 13, 18));
    }

    [Fact]
    public void A_hunch_over_a_side_desk_after_swivelling_reads_its_flexion()
    {
        var result = Replay(new SwivellingWearer((20, 0, 0, 90), (120, 23, 0, 90), (60, 23, 0, 45)), 210);
        Assert.All(Between(result, 40, 210), f => Assert.InRange(f.Flexion!.Value, 21.5, 24.5));
    }

    [Fact]
    public void Frames_carry_flexion_equal_to_pitch_when_the_trunk_is_not_turned()
    {
        var result = Replay(new PostureScript((30, 25, -4, 0)), 40);
        Assert.All(Between(result, 10, 40), f => Assert.InRange(f.Flexion!.Value - f.Pitch, -0.5, 0.5));
    }
}

public class TwistEstimatorTests
{
    const int Hz = 50;
    static readonly Vector3 Up = Vector3.UnitX;

    static void Turn(TwistEstimator twist, double degrees, double seconds)
    {
        var rate = (float)(degrees / seconds);
        for (var i = 0; i < seconds * Hz; i++) twist.Update(new Vector3(rate, 0, 0), Up, still: false, step: false);
    }

    static void Still(TwistEstimator twist, double seconds, Func<double, float>? offsetAt = null)
    {
        for (var i = 0; i < seconds * Hz; i++)
            twist.Update(new Vector3(offsetAt?.Invoke((double)i / Hz) ?? 0, 0.1f, -0.1f), Up, still: true, step: false);
    }

    [Fact]
    public void A_turn_is_integrated_and_a_turn_back_undoes_it()
    {
        var twist = new TwistEstimator(Hz);
        Turn(twist, 40, 2);
        Assert.InRange(twist.TwistDeg, 39, 41);
        Still(twist, 60);
        Turn(twist, -40, 2);
        Assert.InRange(twist.TwistDeg, -2, 2);
    }

    [Fact]
    public void A_gyro_offset_drifting_as_the_board_warms_leaves_the_twist_near_zero_over_ten_minutes()
    {
        // 3 °/s of drift over 10 min is several times what a board warming on the body shows.
        var twist = new TwistEstimator(Hz);
        var worst = 0.0;
        for (var s = 0; s < 600; s++)
        {
            Still(twist, 1, t => (float)((s + t) / 600 * 3));
            worst = Math.Max(worst, Math.Abs(twist.TwistDeg));
        }
        Assert.True(worst < 1, $"twist reached {worst:0.0}°");
        Assert.InRange(twist.ResidualOffsetDps, 2.8, 3.0);
    }

    [Fact]
    public void An_offset_below_the_deadband_is_never_integrated_even_while_moving()
    {
        var twist = new TwistEstimator(Hz);
        for (var i = 0; i < 600 * Hz; i++) twist.Update(new Vector3(0.9f, 2, 2), Up, still: false, step: false);
        Assert.Equal(0, twist.TwistDeg);
    }

    [Fact]
    public void A_step_ends_the_twist()
    {
        var twist = new TwistEstimator(Hz);
        Turn(twist, 35, 1);
        twist.Update(Vector3.Zero, Up, still: false, step: true);
        Assert.Equal(0, twist.TwistDeg);
    }

    [Fact]
    public void The_twist_never_goes_past_a_spine_s_range()
    {
        var twist = new TwistEstimator(Hz);
        Turn(twist, 60, 2);
        Assert.Equal(TwistEstimator.MaxTwistDeg, twist.TwistDeg);
    }

    [Theory]
    [InlineData(90, 1)]    // a swivel chair
    [InlineData(-180, 1.5)] // a turn on the feet, back the way one came
    [InlineData(120, 3)]
    public void A_turn_further_than_a_spine_goes_is_the_whole_body_and_leaves_no_twist(double degrees, double seconds)
    {
        var twist = new TwistEstimator(Hz);
        Turn(twist, degrees, seconds);
        Assert.Equal(0, twist.TwistDeg);
        // Turned to a side monitor before the chair swivels: the chair takes the trunk with it.
        Turn(twist, 40, 2);
        Still(twist, 5);
        Turn(twist, degrees, seconds);
        Assert.Equal(0, twist.TwistDeg);
        // A movement of its own after a moment's stillness is a twist again.
        Still(twist, 1);
        Turn(twist, -35, 2);
        Assert.InRange(twist.TwistDeg, -36, -34);
    }

    [Fact]
    public void A_held_twist_fades_slowly_enough_to_outlast_a_prolonged_hunch()
    {
        var twist = new TwistEstimator(Hz);
        Turn(twist, 40, 2);
        Still(twist, 6 * 60);
        Assert.InRange(twist.TwistDeg, 30, 36);
    }
}

public class TwistedFlexionTests
{
    [Theory]
    [InlineData(23, 40)]
    [InlineData(23, -40)]
    [InlineData(30, 50)]
    [InlineData(15, 20)]
    public void A_twisted_hunch_is_turned_back_into_its_flexion(double flexion, double twist)
    {
        var up = TwistedUp(flexion, 0, twist);
        Assert.InRange(TwistedFlexion.Degrees(up, twist), flexion - 0.01, flexion + 0.01);
    }

    [Theory]
    [InlineData(20)]
    [InlineData(25)]
    [InlineData(-30)]
    public void However_wrong_the_twist_a_sideways_lean_reads_as_its_pitch(double lean)
    {
        // A lean straight to the side, or with a little forward in it, tilts about 80-90° away from
        // any twist the estimator allows.
        foreach (var forward in new[] { 0.0, 3 })
        {
            var up = TrunkTilt.UpInSensor(forward, lean);
            var (pitch, _) = TrunkTilt.FromUp(up);
            for (var twist = -TwistEstimator.MaxTwistDeg; twist <= TwistEstimator.MaxTwistDeg; twist += 5)
                Assert.InRange(TwistedFlexion.Degrees(up, twist), pitch - 0.01, pitch + 0.01);
        }
    }

    [Fact]
    public void A_twist_estimate_that_is_too_small_reads_less_never_more()
    {
        var up = TwistedUp(23, 0, 40);
        var previous = double.MaxValue;
        for (var estimate = 40.0; estimate >= 0; estimate -= 5)
        {
            var read = TwistedFlexion.Degrees(up, estimate);
            Assert.True(read <= previous + 1e-9 && read <= 23.01, $"{read} at {estimate}");
            previous = read;
        }
    }

    /// <summary>"Up" seen by a board on a trunk flexed and leaning, then turned about its axis (left positive).</summary>
    static Vector3 TwistedUp(double flexion, double roll, double twist)
    {
        var up = TrunkTilt.UpInSensor(flexion, roll);
        double t = twist * Math.PI / 180, c = Math.Cos(t), s = Math.Sin(t);
        return new Vector3(up.X, (float)(c * up.Y + s * up.Z), (float)(-s * up.Y + c * up.Z));
    }
}

/// <summary>
/// Upright for 5 s (for calibration), then through postures each eased into over 2 s and held,
/// with the whole wearer turned about the vertical (a swivel chair) rather than the trunk twisted.
/// </summary>
sealed class SwivellingWearer(params (double Seconds, double Pitch, double Roll, double Heading)[] steps) : IWearerModel
{
    public WearerState At(TimeSpan sinceStart)
    {
        double pitch = 0, roll = 0, heading = 0, start = 5;
        foreach (var (seconds, toPitch, toRoll, toHeading) in steps)
        {
            var x = Math.Clamp((sinceStart.TotalSeconds - start) / 2, 0, 1);
            var ease = x * x * (3 - 2 * x);
            pitch += (toPitch - pitch) * ease;
            roll += (toRoll - roll) * ease;
            heading += (toHeading - heading) * ease;
            start += seconds;
        }
        return new WearerState(pitch, roll, Vector3.Zero, Walking: false, HeadingDeg: heading);
    }
}
