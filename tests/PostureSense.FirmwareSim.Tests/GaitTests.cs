using PostureSense.FirmwareSim.Scenarios;
using PostureSense.FirmwareSim.Sensor;
using PostureSense.FirmwareSim.Wearer;
using PostureSense.GroundTruth;
using Activity = PostureSense.GroundTruth.Activity;

namespace PostureSense.FirmwareSim.Tests;

/// <summary>A walk lands each step on a heel, turns corners and stops at doors, as a real one does.</summary>
public class GaitTests
{
    const double Hz = 50;

    [Fact]
    public void Each_step_lands_with_a_sharp_jolt_on_the_heel()
    {
        // 100 steps a minute for a minute; upright, "up" is the board's X.
        var x = SensorHarness.PhysicalSamples(new ScenarioWearer(TestScenario.Parse("""{ "activity": "walk", "minutes": 2, "cadence": 100 }""")), 70)
            .Skip((int)(5 * Hz)).Take((int)(60 * Hz)).Select(v => v[0]).ToArray();

        // Jolts: samples above 1.45 g, where the bounce alone (1.3 g at its top) never goes; one run of them a step.
        var jolts = Enumerable.Range(1, x.Length - 1).Count(i => x[i] > 1.45 && x[i - 1] <= 1.45);
        Assert.InRange(jolts, 97, 101);
        // Sharp: no more than 3 samples (60 ms) of a step above 1.45 g.
        Assert.True(x.Count(v => v > 1.45) <= 3 * jolts, $"{x.Count(v => v > 1.45)} samples in {jolts} jolts");
        // And the body lands where it was: no net lift over the minute.
        Assert.InRange(x.Average(), 0.99, 1.01);
    }

    [Fact]
    public void A_turn_swings_the_whole_body_90_to_180_degrees_in_about_a_second_and_the_gyro_sees_it()
    {
        var scenario = TestScenario.Parse("""{ "activity": "walk", "minutes": 3, "cadence": 104, "turns": 3 }""", seed: 8);
        var wearer = new ScenarioWearer(scenario);
        var samples = SensorHarness.PhysicalSamples(wearer, 180);

        // Turns: stretches of more than 60 °/s about the vertical (the upright board's X).
        var turns = new List<(int Start, int End)>();
        for (var i = 0; i < samples.Count; i++)
        {
            if (Math.Abs(samples[i][3]) <= 60) continue;
            var start = i;
            while (i < samples.Count && Math.Abs(samples[i][3]) > 20) i++;
            turns.Add((start, i));
        }
        Assert.InRange(turns.Count, 8, 9);
        foreach (var (start, end) in turns)
        {
            var from = Math.Max(0, start - 25);
            var degrees = samples.Skip(from).Take(end - from).Sum(v => v[3]) / Hz;
            Assert.InRange(Math.Abs(degrees), 80, 185);
            Assert.InRange(samples.Skip(from).Take(end - from).Max(v => Math.Abs(v[3])), 100, 200);
        }
        Assert.Contains(turns, t => samples[t.Start][3] > 0);
        Assert.Contains(turns, t => samples[t.Start][3] < 0);
        // The truth of a walk does not care which way it goes.
        Assert.All(ScenarioTruth.Seconds(scenario), s => Assert.Equal(Activity.Walking, s.Activity));
    }

    [Fact]
    public void A_stop_at_a_door_stands_still_for_a_few_seconds_and_the_walk_goes_on()
    {
        var scenario = TestScenario.Parse("""{ "activity": "walk", "minutes": 2, "cadence": 100, "stops": 1.5 }""", seed: 5);
        var wearer = new ScenarioWearer(scenario);

        // Still stretches: whole seconds without the body's own motion, between seconds of walking.
        var still = Enumerable.Range(0, 120)
            .Select(s => Enumerable.Range(0, 10).Max(i => wearer.At(TimeSpan.FromSeconds(s + i / 10.0)).LinearAccelG.Length()) < 0.02)
            .ToArray();
        var runs = new List<int>();
        for (var s = 0; s < still.Length; s++)
        {
            if (!still[s]) continue;
            var start = s;
            while (s < still.Length && still[s]) s++;
            runs.Add(s - start);
        }
        Assert.Equal(3, runs.Count);
        Assert.All(runs, r => Assert.InRange(r, 2, 8));
        Assert.False(still[1] || still[^2], "the walk starts and ends walking");
        // It is still the one walk, to the truth as to the wearer.
        Assert.All(ScenarioTruth.Seconds(scenario), s => Assert.Equal(Activity.Walking, s.Activity));
    }

    [Fact]
    public void Which_way_the_wearer_faces_carries_on_after_a_walk_without_a_jump()
    {
        var wearer = new ScenarioWearer(TestScenario.Parse("""
            { "activity": "walk", "minutes": 2, "cadence": 104, "turns": 3 },
            { "activity": "sit", "minutes": 2, "pitch": 3 }
            """, seed: 9));
        var heading = Enumerable.Range(0, 240 * 50).Select(i => wearer.At(TimeSpan.FromSeconds(i / 50.0)).HeadingDeg).ToArray();
        var biggestStep = heading.Zip(heading.Skip(1), (a, b) => Math.Abs(b - a)).Max();
        Assert.True(biggestStep < 5, $"the heading jumped {biggestStep:0.0}° in 20 ms");
        Assert.True(Math.Abs(heading[^1]) > 1, "the walk's turns are gone after it");
        Assert.Equal(heading[125 * 50], heading[^1], 6);
    }

    [Theory]
    [InlineData("\"turns\": 11", "turns 11 is outside 0..10 a minute")]
    [InlineData("\"stops\": 5", "stops 5 is outside 0..4 a minute")]
    public void Turns_and_stops_out_of_range_are_rejected(string field, string expected)
    {
        var e = Assert.Throws<ScenarioException>(() => TestScenario.Parse($$"""{ "activity": "walk", "minutes": 1, "cadence": 100, {{field}} }"""));
        Assert.Contains(expected, e.Message);
    }

    [Theory]
    [InlineData("turns")]
    [InlineData("stops")]
    public void Turns_and_stops_are_only_for_walks(string field)
    {
        var e = Assert.Throws<ScenarioException>(() => TestScenario.Parse($$"""{ "activity": "sit", "minutes": 1, "{{field}}": 1 }"""));
        Assert.Contains($"\"{field}\" only applies to a walk or stairs", e.Message);
    }
}
