using PostureSense.FirmwareSim.Scenarios;
using PostureSense.FirmwareSim.Wearer;

namespace PostureSense.FirmwareSim.Tests;

/// <summary>
/// How the simulated wearer gets to the floor and what a stretch taken in the chair looks like:
/// the evidence the device tells the two apart by.
/// </summary>
public class FloorWayTests
{
    const double StandardGravity = 9.80665;

    static ScenarioWearer Wearer(params string[] segments) => new(Scenario.Parse($$"""
        { "name": "t", "description": "t", "seed": 5, "segments": [ {{string.Join(", ", segments)}} ], "expected": [] }
        """));

    /// <summary>The body's vertical travel over [from, to) s, metres (negative: down), integrating the wearer's vertical acceleration.</summary>
    static double Travel(ScenarioWearer wearer, double from, double to)
    {
        const double dt = 0.005;
        double velocity = 0, height = 0, lowest = 0;
        for (var t = from; t < to; t += dt)
        {
            velocity += wearer.At(TimeSpan.FromSeconds(t)).LinearAccelG.Z * StandardGravity * dt;
            height += velocity * dt;
            lowest = Math.Min(lowest, height);
        }
        return lowest;
    }

    [Fact]
    public void Getting_down_to_the_floor_kneels_first_with_the_trunk_still_upright()
    {
        var wearer = Wearer("""{ "activity": "sit", "minutes": 1, "pitch": 3 }""", """{ "activity": "cat-cow", "seconds": 60, "reps": 8 }""");

        Assert.InRange(Travel(wearer, 60, 62), -0.5, -0.4);
        // While kneeling the trunk has hardly begun to lean; the hands go down after.
        Assert.InRange(wearer.At(TimeSpan.FromSeconds(61.6)).PitchDeg, 3, 30);
        Assert.InRange(wearer.At(TimeSpan.FromSeconds(66)).PitchDeg, 84, 88);
    }

    [Fact]
    public void One_floor_stretch_after_another_needs_no_second_way_down()
    {
        var wearer = Wearer("""{ "activity": "sit", "minutes": 1, "pitch": 3 }""", """{ "activity": "cat-cow", "seconds": 60, "reps": 8 }""",
            """{ "activity": "thread-the-needle", "seconds": 80, "holdsS": [20, 20], "rampSeconds": 3 }""");
        Assert.All(Enumerable.Range(0, 300), i => Assert.Equal(0, wearer.At(TimeSpan.FromSeconds(120 + i * 0.01)).LinearAccelG.Z));
    }

    [Fact]
    public void A_walk_starts_and_stops_without_going_up_or_down()
    {
        var wearer = Wearer("""{ "activity": "sit", "seconds": 10 }""", """{ "activity": "walk", "seconds": 30, "cadence": 60 }""", """{ "activity": "sit", "seconds": 10 }""");
        Assert.InRange(Travel(wearer, 9, 45), -0.1, 0);
    }

    [Fact]
    public void A_stretch_mimicked_in_the_chair_moves_like_it_without_getting_down()
    {
        var wearer = Wearer("""{ "activity": "sit", "minutes": 1, "pitch": 4 }""",
            """{ "activity": "sit", "seconds": 90, "pitch": 67, "rampSeconds": 4, "prompt": "cat-cow", "mimic": "cat-cow", "reps": 10, "periodSeconds": 6, "rangeDeg": 12.5, "label": "seated-fold" }""");

        var pitch = Enumerable.Range(0, 60 * 50).Select(i => wearer.At(TimeSpan.FromSeconds(66 + i * 0.02)).PitchDeg).ToArray();
        Assert.InRange(pitch.Min(), 52, 57);
        Assert.InRange(pitch.Max(), 78, 82);
        Assert.Equal(0, Travel(wearer, 55, 150), 3);

        var segment = wearer.Scenario.Segments[1];
        Assert.Equal((Activity.Sit, "cat-cow", 10), (segment.Activity, segment.Mimic!.ExerciseId, segment.Mimic.Reps));
        // The prompt on it was not done: the wearer never got down.
        var session = Assert.Single(wearer.Scenario.Stretches);
        Assert.Equal(("cat-cow", false), (session.ExerciseId, session.Plan.Done));
    }

    [Theory]
    [InlineData("""{ "activity": "walk", "minutes": 1, "cadence": 100, "mimic": "cat-cow" }""", "\"mimic\" only applies to sitting or standing")]
    [InlineData("""{ "activity": "sit", "minutes": 1, "mimic": "dumbbell-row" }""", "mimic \"dumbbell-row\" is not a floor stretch")]
    [InlineData("""{ "activity": "sit", "minutes": 1, "reps": 4 }""", "\"reps\" only applies to cat-cow, thread-the-needle, superman and a segment that mimics one")]
    [InlineData("""{ "activity": "sit", "minutes": 1, "mimic": "superman", "quality": "partly" }""", "\"quality\" only applies to cat-cow, thread-the-needle and superman")]
    [InlineData("""{ "activity": "sit", "seconds": 20, "mimic": "cat-cow", "reps": 10 }""", "needs")]
    public void A_mimic_that_makes_no_sense_is_rejected_with_one_clear_line(string segment, string expected)
    {
        var e = Assert.Throws<ScenarioException>(() => Wearer(segment));
        Assert.Contains(expected, e.Message);
    }
}
