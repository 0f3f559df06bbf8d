using System.Numerics;
using PostureSense.Core.Imu;
using PostureSense.FirmwareSim.Scenarios;
using PostureSense.FirmwareSim.Sensor;
using PostureSense.FirmwareSim.Wearer;

namespace PostureSense.FirmwareSim.Tests;

/// <summary>Each simulated board's accelerometer is off the way real MPU-6050s are, and reproducibly so.</summary>
public class AccelErrorTests
{
    [Fact]
    public void Seeded_boards_differ_and_stay_within_the_datasheet()
    {
        var boards = Enumerable.Range(1, 200).Select(seed => new SensorCharacteristics { Seed = seed }.WithSeededAccelErrors()).ToArray();

        Assert.All(boards, b =>
        {
            Assert.InRange(Math.Abs(b.AccelOffsetG.X), 0, 0.05);
            Assert.InRange(Math.Abs(b.AccelOffsetG.Y), 0, 0.05);
            Assert.InRange(Math.Abs(b.AccelOffsetG.Z), 0, 0.08);
            Assert.InRange(Math.Abs(b.AccelScaleError.X), 0, 0.03);
            Assert.InRange(Math.Abs(b.AccelScaleError.Z), 0, 0.03);
        });
        Assert.True(boards.Select(b => b.AccelOffsetG).Distinct().Count() > 190);
        // Most boards are far enough off to matter: over 20 mg on some axis.
        Assert.True(boards.Count(b => Math.Abs(b.AccelOffsetG.X) > 0.02 || Math.Abs(b.AccelOffsetG.Z) > 0.02) > 150);
        Assert.Equal(boards[4], new SensorCharacteristics { Seed = 5 }.WithSeededAccelErrors());
    }

    [Theory]
    [InlineData(AccelFace.XUp)]
    [InlineData(AccelFace.ZDown)]
    public void A_board_at_rest_reads_its_scale_and_offset(AccelFace face)
    {
        var board = SensorCharacteristics.Ideal with { AccelOffsetG = new Vector3(0.04f, -0.03f, 0.07f), AccelScaleError = new Vector3(0.02f, 0, -0.03f) };
        var s = new SensorHarness(new RestingBoard { Face = face }, board);
        s.Wake();
        s.Clock.Advance(TimeSpan.FromMilliseconds(10));

        var data = s.ReadData();
        var expected = (Vector3.One + board.AccelScaleError) * face.Ideal() + board.AccelOffsetG;
        Assert.Equal(expected.X * 16384, data[0], 1.0);
        Assert.Equal(expected.Y * 16384, data[1], 1.0);
        Assert.Equal(expected.Z * 16384, data[2], 1.0);
    }

    [Fact]
    public void A_scenario_may_give_its_boards_errors_and_their_drift()
    {
        var scenario = Scenario.Parse("""
            { "name": "t", "description": "t", "seed": 7,
              "sensor": { "accelOffsetG": [0.01, -0.02, 0.05], "accelScaleError": [0.01, 0, -0.02], "accelDriftGPerC": [0, 0, 0.001], "warmUpC": 10 },
              "segments": [ { "activity": "sit", "minutes": 1 } ], "expected": [] }
            """);

        Assert.Equal(new Vector3(0.01f, -0.02f, 0.05f), scenario.Sensor.AccelOffsetG);
        Assert.Equal(new Vector3(0.01f, 0, -0.02f), scenario.Sensor.AccelScaleError);
        // Warmed by 10 °C, the Z offset has drifted by 10 mg.
        Assert.Equal(0.06f, scenario.Sensor.AccelOffsetAt(TimeSpan.FromHours(10)).Z, 0.001f);
        Assert.Throws<ScenarioException>(() => Scenario.Parse("""
            { "name": "t", "description": "t", "seed": 7, "sensor": { "accelScaleError": [0.2, 0, 0] },
              "segments": [ { "activity": "sit", "minutes": 1 } ], "expected": [] }
            """));
    }
}
