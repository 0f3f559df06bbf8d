using PostureSense.FirmwareSim.Scenarios;
using PostureSense.FirmwareSim.Wearer;

namespace PostureSense.FirmwareSim.Tests;

/// <summary>The floor stretches as the simulated wearer performs them: the motion is the ground truth the device's count is held to.</summary>
public class StretchWearerTests
{
    static ScenarioWearer Wearer(string stretch) => new(Scenario.Parse($$"""
        { "name": "t", "description": "t", "seed": 5, "segments": [
            { "activity": "sit", "minutes": 1, "pitch": 3 }, {{stretch}}, { "activity": "sit", "minutes": 1, "pitch": 3 } ],
          "expected": [] }
        """));

    /// <summary>The wearer's pitch (or roll) every 20 ms across the stretch segment, from 60 s on.</summary>
    static double[] Trace(ScenarioWearer wearer, Func<WearerState, double> angle)
    {
        var segment = wearer.Scenario.Segments[1];
        var samples = (int)(segment.Duration.TotalSeconds * 50);
        return Enumerable.Range(0, samples).Select(i => angle(wearer.At(segment.Start + TimeSpan.FromMilliseconds(20 * i)))).ToArray();
    }

    /// <summary>
    /// Excursions beyond ±threshold of <paramref name="neutral"/>, in order: +1 above, -1 below. A
    /// new one starts on leaving the other side, or on leaving again after coming back within half the threshold.
    /// </summary>
    static List<int> Excursions(double[] trace, double neutral, double threshold)
    {
        var sides = new List<int>();
        var current = 0;
        foreach (var v in trace)
        {
            var side = v > neutral + threshold ? 1 : v < neutral - threshold ? -1 : 0;
            if (Math.Abs(v - neutral) < threshold / 2) current = 0;
            if (side == 0 || side == current) continue;
            sides.Add(side);
            current = side;
        }
        return sides;
    }

    [Fact]
    public void Cat_cow_done_well_swings_the_given_range_each_way_once_per_rep()
    {
        var wearer = Wearer("""{ "activity": "cat-cow", "seconds": 90, "reps": 12 }""");
        var pitch = Trace(wearer, s => s.PitchDeg);

        // Neutral on all fours is 86°, cow first (arched: below), then cat (rounded: above), ±15°.
        var swings = Excursions(pitch.Skip(8 * 50).ToArray(), 86, 10);
        Assert.Equal(24, swings.Count);
        Assert.Equal(-1, swings[0]);
        Assert.InRange(pitch.Max(), 100, 103);
        Assert.InRange(pitch.Skip(8 * 50).Min(), 69, 72);
        Assert.Equal("cat-cow", wearer.At(TimeSpan.FromSeconds(90)).Label);
        Assert.False(wearer.At(TimeSpan.FromSeconds(90)).Walking);
    }

    [Fact]
    public void Cat_cow_done_partly_is_shallower_and_uneven_but_fits_its_segment()
    {
        var pitch = Trace(Wearer("""{ "activity": "cat-cow", "seconds": 60, "quality": "partly" }"""), s => s.PitchDeg).Skip(8 * 50).ToArray();
        Assert.Equal(10, Excursions(pitch, 86, 4).Count); // 5 reps
        Assert.InRange(pitch.Max() - 86, 5, 10);
    }

    [Fact]
    public void Cat_cow_not_done_only_sways()
    {
        var pitch = Trace(Wearer("""{ "activity": "cat-cow", "seconds": 40, "quality": "none" }"""), s => s.PitchDeg).Skip(8 * 50).ToArray();
        Assert.InRange(pitch.Max() - pitch.Min(), 0, 3);
    }

    [Fact]
    public void Thread_the_needle_turns_left_then_right_and_holds_each_for_its_time()
    {
        var roll = Trace(Wearer("""{ "activity": "thread-the-needle", "seconds": 90, "holdsS": [25, 20] }"""), s => s.RollDeg);

        Assert.Equal([-1, 1], Excursions(roll, 0, 25));
        // Within 2° of the full 50° turn for the hold's length (the sway is well under that).
        Assert.InRange(roll.Count(r => r < -48) / 50.0, 24, 26);
        Assert.InRange(roll.Count(r => r > 48) / 50.0, 19, 21);
    }

    [Fact]
    public void Superman_lifts_the_chest_for_each_hold_and_rests_flat_between()
    {
        var pitch = Trace(Wearer("""{ "activity": "superman", "seconds": 85, "reps": 8, "holdSeconds": 4 }"""), s => s.PitchDeg).Skip(8 * 50).ToArray();

        Assert.Equal(8, Excursions(pitch, 90, 11).Count(s => s == -1));
        // Face down is 90°; each lift holds 22° higher for 4 s (and passes within 1° of it a moment either side).
        Assert.InRange(pitch.Count(p => p < 90 - 21) / 50.0, 8 * 4, 8 * 4.5);
        Assert.InRange(pitch.Max(), 89, 91);
    }

    [Fact]
    public void Getting_down_and_back_up_eases_over_the_floor_ramp()
    {
        var wearer = Wearer("""{ "activity": "superman", "seconds": 40, "quality": "none" }""");
        Assert.InRange(wearer.At(TimeSpan.FromSeconds(63)).PitchDeg, 30, 65); // halfway down
        Assert.InRange(wearer.At(TimeSpan.FromSeconds(70)).PitchDeg, 89, 91);
        Assert.InRange(wearer.At(TimeSpan.FromSeconds(110)).PitchDeg, 1.5, 4.5); // sitting again
    }

    [Fact]
    public void A_scenario_lists_its_stretch_sessions_with_what_was_truly_done()
    {
        var scenario = Scenario.Parse("""
            { "name": "t", "description": "t", "segments": [
                { "activity": "sit", "minutes": 10 },
                { "activity": "sit", "minutes": 6, "prompt": "thread-the-needle" },
                { "activity": "walk", "minutes": 3, "cadence": 100 },
                { "activity": "superman", "seconds": 60, "quality": "partly", "promptedBefore": 180 },
                { "activity": "cat-cow", "seconds": 30, "quality": "none" } ],
              "expected": [] }
            """);

        Assert.Collection(scenario.Stretches,
            s => Assert.Equal(("thread-the-needle", StretchQuality.Ignored, TimeSpan.FromMinutes(10), false), (s.ExerciseId, s.Plan.Quality, s.PromptAt, s.Plan.Done)),
            s =>
            {
                Assert.Equal(("superman", StretchQuality.Partly, TimeSpan.FromMinutes(16)), (s.ExerciseId, s.Plan.Quality, s.PromptAt));
                Assert.Equal(4, s.Plan.Reps);
                Assert.Equal([1.5, 1.5, 1.5, 1.5], s.Plan.HoldsS);
            },
            s => Assert.Equal(("cat-cow", 0, TimeSpan.FromMinutes(20)), (s.ExerciseId, s.Plan.Reps, s.PromptAt)));
        // The ignored prompt changes nothing about the sitting.
        Assert.Equal(Activity.Sit, scenario.Segments[1].Activity);
    }
}
