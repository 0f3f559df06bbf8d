using System.Numerics;
using PostureSense.Core.Posture;
using PostureSense.FirmwareSim.Scenarios;
using PostureSense.FirmwareSim.Sensor;
using PostureSense.FirmwareSim.Wearer;

namespace PostureSense.FirmwareSim.Tests;

/// <summary>Wearers that differ: bends, lying down, stairs and paces, fidgets, slouch styles, and boards that differ.</summary>
public class VarietyWearerTests
{
    static ScenarioWearer Wearer(string segments) =>
        new(Scenario.Parse($$"""{ "name": "t", "description": "t", "seed": 9, "segments": [{{segments}}], "expected": [] }"""));

    static double MotionRms(ScenarioWearer wearer, TimeSpan from, TimeSpan length)
    {
        var sum = 0.0;
        var n = 0;
        for (var t = from; t < from + length; t += TimeSpan.FromMilliseconds(20), n++) sum += wearer.At(t).LinearAccelG.LengthSquared();
        return Math.Sqrt(sum / n);
    }

    [Fact]
    public void A_bend_goes_down_and_comes_back_to_the_posture_before_it()
    {
        var wearer = Wearer("""
            { "activity": "sit", "minutes": 1, "pitch": 25 },
            { "activity": "bend", "seconds": 20, "pitch": 85 },
            { "activity": "sit", "minutes": 1, "pitch": 25 }
            """);
        Assert.InRange(wearer.At(TimeSpan.FromSeconds(70)).PitchDeg, 83, 87);
        Assert.Equal("bend", wearer.At(TimeSpan.FromSeconds(70)).Label);
        // Back up by the end of the bend, and the next segment starts from there, not from 85°.
        Assert.InRange(wearer.At(TimeSpan.FromSeconds(80)).PitchDeg, 23, 27);
        Assert.InRange(wearer.At(TimeSpan.FromSeconds(81)).PitchDeg, 23, 27);
    }

    [Theory]
    [InlineData("back", 0, 0, -1)]
    [InlineData("front", 0, 0, 1)]
    [InlineData("right", 0, 1, 0)]
    [InlineData("left", 0, -1, 0)]
    public void Lying_down_turns_gravity_away_from_the_head_axis(string position, double x, double y, double z)
    {
        var s = new SensorHarness(Wearer($$"""{ "activity": "lie", "minutes": 5, "position": "{{position}}" }"""));
        s.Wake();
        s.Clock.Advance(TimeSpan.FromMinutes(1));
        var d = s.ReadData();
        var up = Vector3.Normalize(new Vector3(d[0], d[1], d[2]));
        Assert.True(Vector3.Distance(up, new Vector3((float)x, (float)y, (float)z)) < 0.1, $"{position}: {up}");
        Assert.True(TrunkTilt.FromVerticalDeg(TrunkTilt.FromUp(up).PitchDeg, TrunkTilt.FromUp(up).RollDeg) > 80);
    }

    [Fact]
    public void A_slow_walk_bounces_less_than_a_brisk_one_and_stairs_more()
    {
        var wearer = Wearer("""
            { "activity": "walk", "minutes": 1, "cadence": 60 },
            { "activity": "walk", "minutes": 1, "cadence": 105 },
            { "activity": "stairs", "minutes": 1, "cadence": 90 }
            """);
        var slow = MotionRms(wearer, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(40));
        var brisk = MotionRms(wearer, TimeSpan.FromSeconds(70), TimeSpan.FromSeconds(40));
        var stairs = MotionRms(wearer, TimeSpan.FromSeconds(130), TimeSpan.FromSeconds(40));
        Assert.InRange(slow, 0.1, 0.16);
        Assert.InRange(brisk, 0.2, 0.32);
        Assert.InRange(stairs, brisk, 0.35);
        Assert.True(wearer.At(TimeSpan.FromSeconds(150)).Walking);
        Assert.Equal("stairs", wearer.At(TimeSpan.FromSeconds(150)).Label);
    }

    [Fact]
    public void Fidgets_jostle_a_sitter_for_seconds_at_a_time_without_taking_steps()
    {
        var wearer = Wearer("""{ "activity": "sit", "minutes": 10, "pitch": 4, "fidgets": 3 }""");
        var moving = Enumerable.Range(0, 600).Count(s => MotionRms(wearer, TimeSpan.FromSeconds(s), TimeSpan.FromSeconds(1)) >= 0.05);
        Assert.InRange(moving, 20, 120); // ~30 fidgets of 1.5-3.5 s
        Assert.All(Enumerable.Range(0, 6000), i => Assert.Equal(0, wearer.At(TimeSpan.FromMilliseconds(100 * i)).LinearAccelG.Z));
        Assert.False(wearer.At(TimeSpan.FromMinutes(5)).Walking);
    }

    [Theory]
    [InlineData("elbow-left", -14)]
    [InlineData("elbow-right", 14)]
    public void Leaning_on_an_elbow_tips_the_trunk_to_that_side(string slouch, double roll)
    {
        var wearer = Wearer($$"""{ "activity": "sit", "minutes": 5, "pitch": 24, "slouch": "{{slouch}}" }""");
        var rolls = Enumerable.Range(10, 200).Select(s => wearer.At(TimeSpan.FromSeconds(s)).RollDeg).ToArray();
        Assert.InRange(rolls.Average(), roll - 1.5, roll + 1.5);
        Assert.Equal("hunch", wearer.At(TimeSpan.FromMinutes(2)).Label);
    }

    [Fact]
    public void A_thoracic_slouch_breathes_and_a_slouch_from_the_hips_reaches_forward()
    {
        var thoracic = Wearer("""{ "activity": "sit", "minutes": 5, "pitch": 30, "slouch": "thoracic" }""");
        var hips = Wearer("""{ "activity": "sit", "minutes": 5, "pitch": 30, "slouch": "hips" }""");
        double Range(ScenarioWearer w, int from, int seconds)
        {
            var p = Enumerable.Range(0, seconds * 10).Select(i => w.At(TimeSpan.FromSeconds(from + i / 10.0)).PitchDeg).ToArray();
            return p.Max() - p.Min();
        }
        Assert.InRange(Range(thoracic, 10, 5), 2, 4);   // one breath moves it ±1.2°
        Assert.InRange(Range(hips, 10, 60), 3.5, 7);    // a reach leans 4° further
    }

    [Fact]
    public void A_board_that_warms_drifts_its_gyro_offset_and_shows_it_in_the_temperature_register()
    {
        var sensor = SensorCharacteristics.Ideal with
        {
            TemperatureC = 20, WarmUpC = 10, WarmUpTime = TimeSpan.FromMinutes(10), GyroBiasDriftDpsPerC = new Vector3(0.1f, 0, 0),
        };
        Assert.Equal(20, sensor.TemperatureAt(TimeSpan.Zero));
        Assert.Equal(20 + 10 * (1 - Math.Exp(-1)), sensor.TemperatureAt(TimeSpan.FromMinutes(10)), 6);
        Assert.Equal(1.0, sensor.GyroBiasAt(TimeSpan.FromHours(5)).X, 2);

        var s = new SensorHarness(new ConstantWearer(0), sensor);
        s.Wake();
        s.Clock.Advance(TimeSpan.FromSeconds(1));
        var cold = s.ReadData();
        s.Clock.Advance(TimeSpan.FromHours(1));
        var warm = s.ReadData();
        Assert.InRange(Core.Imu.Mpu6050.TemperatureC(warm[3]) - Core.Imu.Mpu6050.TemperatureC(cold[3]), 9.5, 10.5);
        Assert.InRange((warm[4] - cold[4]) / 131.0, 0.95, 1.05); // ±250 °/s range: 131 LSB per °/s
    }

    [Fact]
    public void A_scenario_gives_its_board_and_without_one_gets_a_typical_board_seeded_from_the_scenario()
    {
        var crooked = Scenario.Parse("""
            { "name": "t", "description": "t", "seed": 7,
              "sensor": { "mountingPitch": 20, "mountingRoll": -5, "mountingYaw": 3, "accelNoiseG": 0.008, "gyroBiasDps": [1, 2, 3], "warmUpC": 6, "biasDriftDpsPerC": [0.01, 0, 0] },
              "segments": [ { "activity": "sit", "minutes": 1 } ], "expected": [] }
            """);
        Assert.Equal((20.0, -5.0, 3.0, 0.008, new Vector3(1, 2, 3), 6.0, 7), (crooked.Sensor.MountingPitchDeg, crooked.Sensor.MountingRollDeg,
            crooked.Sensor.MountingYawDeg, crooked.Sensor.AccelNoiseG, crooked.Sensor.GyroBiasDps, crooked.Sensor.WarmUpC, crooked.Sensor.Seed));

        var plain = Scenario.Parse("""{ "name": "t", "description": "t", "seed": 12, "segments": [ { "activity": "sit", "minutes": 1 } ], "expected": [] }""");
        // The typical board carries accelerometer errors drawn from the same seed.
        Assert.Equal(new SensorCharacteristics { Seed = 12 }.WithSeededAccelErrors(), plain.Sensor);
    }
}
