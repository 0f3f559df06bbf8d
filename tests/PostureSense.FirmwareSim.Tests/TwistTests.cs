using PostureSense.FirmwareSim.Scenarios;
using PostureSense.FirmwareSim.Sensor;
using PostureSense.FirmwareSim.Wearer;
using PostureSense.Core.Posture;

namespace PostureSense.FirmwareSim.Tests;

public class TwistTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(23)]
    public void Turning_about_the_trunk_s_axis_reads_as_a_rate_about_the_board_s_x(double flexion)
    {
        // 10 °/s to the left, right-handed about "up" along the trunk: whatever the flexion, the
        // board turns about its own X axis only.
        var s = new SensorHarness(new TwistingWearer(flexion, 10));
        s.Wake();
        s.Clock.Advance(TimeSpan.FromSeconds(1));

        var data = s.ReadData();
        Assert.InRange(data[4], 1309, 1311); // 131 LSB per °/s at ±250 °/s
        Assert.InRange(data[5], -1, 1);
        Assert.InRange(data[6], -1, 1);
    }

    [Fact]
    public void A_twisted_hunch_tilts_up_toward_the_side_it_turned_to_and_reads_less_pitch()
    {
        // 23° of flexion turned 40° to the left: pitch 18°, roll 14.5° to the right.
        var s = new SensorHarness(new ConstantTwistWearer(23, 40));
        s.Wake();
        s.Clock.Advance(TimeSpan.FromSeconds(1));

        var data = s.ReadData();
        var (pitch, roll) = TrunkTilt.FromUp(new(data[0], data[1], data[2]));
        Assert.InRange(pitch, 17.5, 18.5);
        Assert.InRange(roll, 14, 15);
    }

    [Fact]
    public void A_scenario_s_twist_is_eased_into_and_out_of_like_its_pitch()
    {
        var wearer = new ScenarioWearer(TestScenario.Parse("""
            { "activity": "sit", "minutes": 1, "pitch": 2 },
            { "activity": "sit", "minutes": 1, "pitch": 25, "twist": 40, "rampSeconds": 10 },
            { "activity": "sit", "minutes": 1, "pitch": 2, "rampSeconds": 4 }
            """));

        Assert.Equal(0, wearer.At(TimeSpan.FromSeconds(30)).TwistDeg);
        Assert.InRange(wearer.At(TimeSpan.FromSeconds(65)).TwistDeg, 10, 30);
        Assert.Equal(40, wearer.At(TimeSpan.FromSeconds(90)).TwistDeg, 6);
        Assert.Equal(0, wearer.At(TimeSpan.FromSeconds(150)).TwistDeg, 6);
    }

    [Fact]
    public void Without_a_twist_the_board_reads_exactly_what_it_did()
    {
        var wearer = new ConstantWearer(23, 7);
        var twisted = new SensorHarness(new ConstantTwistWearer(23, 0, 7), new SensorCharacteristics());
        var plain = new SensorHarness(wearer, new SensorCharacteristics());
        foreach (var s in new[] { twisted, plain })
        {
            s.Wake();
            s.Clock.Advance(TimeSpan.FromSeconds(2));
        }
        Assert.Equal(plain.ReadData(), twisted.ReadData());
    }

    [Theory]
    [InlineData("\"twist\": 61", "twist 61 is outside -60..60 degrees")]
    [InlineData("\"twist\": \"left\"", "twist")]
    public void A_twist_out_of_range_is_rejected(string field, string expected)
    {
        var ex = Assert.Throws<ScenarioException>(() => TestScenario.Parse($$"""{ "activity": "sit", "minutes": 1, {{field}} }"""));
        Assert.Contains(expected, ex.Message);
    }

    [Fact]
    public void A_twist_is_only_for_sitting_or_standing()
    {
        var ex = Assert.Throws<ScenarioException>(() => TestScenario.Parse("""{ "activity": "walk", "minutes": 1, "cadence": 100, "twist": 20 }"""));
        Assert.Contains("\"twist\" only applies to sitting or standing", ex.Message);
    }

    [Fact]
    public void The_truth_of_a_twisted_hunch_is_its_flexion_not_what_the_board_s_pitch_reads()
    {
        var truth = ScenarioTruth.Seconds(Scenario.Load("twisted-hunch-side-monitor"));
        // 8 min at 25° from an upright of 2°, turned 40°: 23° of flexion, though the pitch reads 18°.
        Assert.InRange(truth[10 * 60].FlexionDegrees, 22, 24);
    }
}

/// <summary>Held at a flexion and lean, turned about the trunk's long axis.</summary>
internal sealed class ConstantTwistWearer(double flexionDeg, double twistDeg, double rollDeg = 0) : IWearerModel
{
    public WearerState At(TimeSpan sinceStart) => new(flexionDeg, rollDeg, System.Numerics.Vector3.Zero, false, TwistDeg: twistDeg);
}
