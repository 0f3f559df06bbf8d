using PostureSense.Core.Posture;
using PostureSense.FirmwareSim.Scenarios;
using PostureSense.FirmwareSim.Sensor;
using PostureSense.FirmwareSim.Wearer;

namespace PostureSense.FirmwareSim.Tests;

/// <summary>At the desk: hands on the keyboard and mouse jiggle the back in bursts; a swivel chair turns the whole wearer.</summary>
public class DeskTests
{
    const double Hz = 50;

    static double GyroRms(double[] v) => Math.Sqrt(v[3] * v[3] + v[4] * v[4] + v[5] * v[5]);

    [Fact]
    public void Typing_jiggles_the_back_in_bursts_that_the_gyro_and_accelerometer_see_and_leaves_the_posture_alone()
    {
        var typing = new ScenarioWearer(TestScenario.Parse("""{ "activity": "sit", "minutes": 5, "pitch": 8, "typing": true }"""));
        var still = new ScenarioWearer(TestScenario.Parse("""{ "activity": "sit", "minutes": 5, "pitch": 8 }"""));
        var typed = SensorHarness.PhysicalSamples(typing, 240);
        var quiet = SensorHarness.PhysicalSamples(still, 240);

        // Per second: the strongest rate the gyro sees. Bursts reach tens of °/s; breathing and sway a few.
        var perSecond = typed.Chunk((int)Hz).Select(c => c.Max(GyroRms)).ToArray();
        Assert.True(quiet.Max(GyroRms) < 3, $"sitting still turns at {quiet.Max(GyroRms):0.0} °/s");
        var busy = perSecond.Count(r => r > 5);
        Assert.InRange(busy, 0.25 * perSecond.Length, 0.9 * perSecond.Length); // bursts, with pauses between
        Assert.Contains(perSecond, r => r > 15);
        Assert.Contains(perSecond, r => r < 3);
        // The accelerometer sees it too, but far less than a step: "up" wobbles and the shoulders shake.
        var accelSpread = typed.Chunk((int)Hz).Max(c => c.Max(v => v[0]) - c.Min(v => v[0]) + c.Max(v => v[2]) - c.Min(v => v[2]));
        Assert.InRange(accelSpread, 0.01, 0.1);

        // Small and centred: within 2° of the posture held, the same mean, and the truth unchanged.
        var pitches = Enumerable.Range(0, 240 * 50).Select(i => typing.At(TimeSpan.FromSeconds(30 + i / 50.0)).PitchDeg).ToArray();
        var stillPitches = Enumerable.Range(0, 240 * 50).Select(i => still.At(TimeSpan.FromSeconds(30 + i / 50.0)).PitchDeg).ToArray();
        Assert.True(pitches.Zip(stillPitches, (a, b) => Math.Abs(a - b)).Max() < 2);
        Assert.Equal(stillPitches.Average(), pitches.Average(), 0.1);
        Assert.All(Enumerable.Range(0, 240 * 50).Select(i => typing.At(TimeSpan.FromSeconds(30 + i / 50.0)).LinearAccelG.Length()), a => Assert.True(a < 0.03));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(25)]
    public void A_swivel_turns_the_wearer_about_the_vertical_and_the_accelerometer_cannot_tell(double pitch)
    {
        var swivelling = new ScenarioWearer(TestScenario.Parse($$"""
            { "activity": "sit", "seconds": 20, "pitch": {{pitch}} },
            { "activity": "sit", "seconds": 40, "pitch": {{pitch}}, "swivel": 90, "rampSeconds": 2 }
            """));
        var sitting = new ScenarioWearer(TestScenario.Parse($$"""
            { "activity": "sit", "seconds": 20, "pitch": {{pitch}} },
            { "activity": "sit", "seconds": 40, "pitch": {{pitch}}, "rampSeconds": 2 }
            """));
        Assert.Equal(90, swivelling.At(TimeSpan.FromSeconds(30)).HeadingDeg, 6);
        Assert.Equal(sitting.At(TimeSpan.FromSeconds(21)).PitchDeg, swivelling.At(TimeSpan.FromSeconds(21)).PitchDeg, 9);

        var turned = SensorHarness.PhysicalSamples(swivelling, 40);
        var plain = SensorHarness.PhysicalSamples(sitting, 40);
        // Gravity is the same whichever way one faces.
        Assert.All(turned.Zip(plain), p => Assert.Equal((p.Second[0], p.Second[1], p.Second[2]), (p.First[0], p.First[1], p.First[2])));

        // The gyro sees 90° about the vertical: along the board's X (its long axis) by the cosine of
        // the pitch, along its Z by the sine; left turns read positive about "up".
        var x = turned.Sum(v => v[3]) / Hz - plain.Sum(v => v[3]) / Hz;
        var z = turned.Sum(v => v[5]) / Hz - plain.Sum(v => v[5]) / Hz;
        var up = TrunkTilt.UpInSensor(pitch, 0);
        Assert.InRange(x, 90 * up.X - 1, 90 * up.X + 1);
        Assert.InRange(z, 90 * up.Z - 1, 90 * up.Z + 1);
    }

    [Theory]
    [InlineData("\"swivel\": 190", "swivel 190 is outside -180..180 degrees")]
    [InlineData("\"typing\": \"yes\"", "\"typing\" must be true or false")]
    public void Bad_desk_fields_are_rejected(string field, string expected)
    {
        var e = Assert.Throws<ScenarioException>(() => TestScenario.Parse($$"""{ "activity": "sit", "minutes": 1, {{field}} }"""));
        Assert.Contains(expected, e.Message);
    }

    [Theory]
    [InlineData("swivel", "90")]
    [InlineData("typing", "true")]
    public void Desk_fields_are_only_for_sitting_or_standing(string field, string value)
    {
        var e = Assert.Throws<ScenarioException>(() => TestScenario.Parse($$"""{ "activity": "walk", "minutes": 1, "cadence": 100, "{{field}}": {{value}} }"""));
        Assert.Contains($"\"{field}\" only applies to sitting or standing", e.Message);
    }
}
