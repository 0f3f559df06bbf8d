using PostureSense.FirmwareSim.Scenarios;
using PostureSense.FirmwareSim.Wearer;

namespace PostureSense.FirmwareSim.Tests;

/// <summary>A wearer breathes while sitting or standing, at a rate of their own, and the back moves with it.</summary>
public class BreathingTests
{
    static ScenarioWearer Wearer(int seed, string activity) => new(Scenario.Parse($$"""
        { "name": "t", "description": "t", "seed": {{seed}}, "segments": [
            { "activity": "{{activity}}", "minutes": 5, "pitch": 6 } ], "expected": [] }
        """));

    /// <summary>The strongest rhythm of the trunk's pitch between 9 and 30 a minute, faster than any sway, and its amplitude in degrees.</summary>
    static (double PerMinute, double AmplitudeDeg) Rhythm(ScenarioWearer wearer)
    {
        const double rate = 10, seconds = 240;
        var samples = Enumerable.Range(0, (int)(rate * seconds)).Select(i => wearer.At(TimeSpan.FromSeconds(30 + i / rate)).PitchDeg).ToArray();
        var mean = samples.Average();
        var best = (PerMinute: 0.0, AmplitudeDeg: 0.0);
        for (var perMinute = 9.0; perMinute <= 30; perMinute += 0.25)
        {
            double re = 0, im = 0;
            for (var i = 0; i < samples.Length; i++)
            {
                var angle = 2 * Math.PI * perMinute / 60 * i / rate;
                re += (samples[i] - mean) * Math.Cos(angle);
                im -= (samples[i] - mean) * Math.Sin(angle);
            }
            var amplitude = 2 * Math.Sqrt(re * re + im * im) / samples.Length;
            if (amplitude > best.AmplitudeDeg) best = (perMinute, amplitude);
        }
        return best;
    }

    [Theory]
    [InlineData("sit")]
    [InlineData("stand")]
    public void Sitting_and_standing_breathe_12_to_20_times_a_minute_at_a_rate_set_by_the_seed(string activity)
    {
        var rhythms = Enumerable.Range(1, 8).Select(seed => Rhythm(Wearer(seed, activity))).ToArray();

        Assert.All(rhythms, r => Assert.InRange(r.PerMinute, 12, 20));
        Assert.All(rhythms, r => Assert.InRange(r.AmplitudeDeg, 0.2, 0.6));
        Assert.True(rhythms.Select(r => r.PerMinute).Distinct().Count() > 3, "every wearer breathes alike");
        Assert.Equal(rhythms[0], Rhythm(Wearer(1, activity)));
    }

    [Fact]
    public void Walking_shows_no_breathing_rhythm_of_its_own_in_the_pitch()
    {
        var walk = new ScenarioWearer(Scenario.Parse("""
            { "name": "t", "description": "t", "seed": 5, "segments": [
                { "activity": "walk", "minutes": 5, "pitch": 6, "cadence": 100 } ], "expected": [] }
            """));
        Assert.True(Rhythm(walk).AmplitudeDeg < 0.1);
    }
}
