using PostureSense.Core.Posture;
using PostureSense.FirmwareSim.Scenarios;
using PostureSense.FirmwareSim.Sensor;
using PostureSense.FirmwareSim.Strap;
using PostureSense.FirmwareSim.Wearer;

namespace PostureSense.FirmwareSim.Tests;

/// <summary>The board slipping on the back changes what it reads, never what the wearer did.</summary>
public class StrapSlipTests
{
    static Scenario Parse(string strap, string segments = """{ "activity": "sit", "minutes": 120, "pitch": 3 }""") =>
        Scenario.Parse($$"""{ "name": "t", "description": "t", "seed": 5, "strap": {{strap}}, "segments": [{{segments}}], "expected": [] }""");

    static double BoardPitchAt(IWearerModel wearer, SensorCharacteristics board, TimeSpan at)
    {
        var s = new SensorHarness(wearer, board);
        s.Wake();
        s.Clock.Advance(at);
        var data = s.ReadData();
        return TrunkTilt.FromUp(new(data[0], data[1], data[2])).PitchDeg;
    }

    [Fact]
    public void A_shift_tips_the_board_while_the_wearer_holds_still()
    {
        var strap = new StrapSlip { Shifts = [new StrapShift(TimeSpan.FromMinutes(10), 5, 0, TimeSpan.FromSeconds(1))] };
        var board = SensorCharacteristics.Ideal with { Strap = strap };
        var wearer = new ConstantWearer(12);

        Assert.Equal(12, BoardPitchAt(wearer, board, TimeSpan.FromMinutes(9)), 0.2);
        Assert.Equal(17, BoardPitchAt(wearer, board, TimeSpan.FromMinutes(11)), 0.2);
    }

    [Fact]
    public void The_gyro_sees_the_strap_shift_as_a_turn()
    {
        // 6° forward over 1 s: halfway through it turns fastest, 1.5 × 6 °/s with the smooth ease.
        var strap = new StrapSlip { Shifts = [new StrapShift(TimeSpan.FromSeconds(10), 6, 0, TimeSpan.FromSeconds(1))] };
        var board = SensorCharacteristics.Ideal with { Strap = strap };
        var s = new SensorHarness(new ConstantWearer(0), board);
        s.Wake();
        s.Clock.Advance(TimeSpan.FromSeconds(10.5));

        var gyroY = s.ReadData()[5] / 131.0;
        Assert.InRange(gyroY, 8, 10);
    }

    [Fact]
    public void The_strap_creeps_by_its_drift_an_hour()
    {
        var board = SensorCharacteristics.Ideal with { Strap = new StrapSlip { DriftPitchDegPerHour = -1.5 } };

        Assert.Equal(7, BoardPitchAt(new ConstantWearer(10), board, TimeSpan.FromHours(2)), 0.2);
    }

    [Fact]
    public void The_ground_truth_does_not_move_with_the_strap()
    {
        var still = Parse("""{ "shifts": [] }""");
        var slipped = Parse("""{ "driftPerHour": 1, "shifts": [ { "at": "30:00", "pitch": 8 } ] }""");

        Assert.Equal(ScenarioTruth.Seconds(still).Select(s => s.FlexionDegrees), ScenarioTruth.Seconds(slipped).Select(s => s.FlexionDegrees));
        Assert.Equal(8, slipped.Sensor.Strap.At(TimeSpan.FromHours(1)).PitchDeg - 1, 1e-9);
    }

    [Fact]
    public void Seeded_shifts_come_as_the_wearer_stands_up_or_bends_and_are_3_to_8_degrees()
    {
        var segments = string.Join(", ", Enumerable.Range(0, 40).Select(i => (i % 4) switch
        {
            0 => """{ "activity": "sit", "minutes": 5 }""",
            1 => """{ "activity": "stand", "seconds": 20 }""",
            2 => """{ "activity": "bend", "seconds": 6 }""",
            _ => """{ "activity": "walk", "seconds": 60, "cadence": 100 }""",
        }));
        var scenario = Parse("""{ "shiftChance": 0.5 }""", segments);
        var again = Parse("""{ "shiftChance": 0.5 }""", segments);

        var shifts = scenario.Sensor.Strap.Shifts;
        Assert.InRange(shifts.Count, 5, 15); // 10 stand-ups and 10 bends at even odds
        Assert.All(shifts, s => Assert.InRange(Math.Abs(s.PitchDeg), 3, 8));
        Assert.Contains(shifts, s => s.PitchDeg > 0);
        Assert.Contains(shifts, s => s.PitchDeg < 0);
        Assert.All(shifts, s => Assert.Contains(scenario.Segments[scenario.SegmentIndexAt(s.At)].Activity, new[] { Activity.Stand, Activity.Bend }));
        Assert.Equal(shifts, again.Sensor.Strap.Shifts);
    }

    [Theory]
    [InlineData("""{ "driftPerHour": 4 }""", "driftPerHour 4 is outside")]
    [InlineData("""{ "shifts": [ { "at": "3:00:00", "pitch": 5 } ] }""", "is not before the scenario's end")]
    [InlineData("""{ "shifts": [ { "at": 60, "pitch": 12 } ] }""", "pitch 12 is outside")]
    [InlineData("""{ "shifts": [ { "at": 60 } ] }""", "give the shift's")]
    [InlineData("""{ "slips": [] }""", "unknown field \"slips\"")]
    [InlineData("""{ "seed": 3 }""", "only applies with \"shiftChance\"")]
    public void A_bad_strap_is_refused_with_the_field_named(string strap, string message)
    {
        var e = Assert.Throws<ScenarioException>(() => Parse(strap));
        Assert.Contains(message, e.Message);
    }
}
