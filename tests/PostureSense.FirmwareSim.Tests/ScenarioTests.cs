using PostureSense.Core.Exercises;
using PostureSense.FirmwareSim.Scenarios;

namespace PostureSense.FirmwareSim.Tests;

public class ScenarioTests
{
    public static TheoryData<string> Shipped => new(Scenario.ShippedNames);

    [Fact]
    public void The_required_scenarios_ship()
    {
        Assert.Superset(
            new HashSet<string> { "upright-hour", "gradual-slouch", "phone-bursts", "sitting-then-walk", "walking", "interrupted-hunch", "demo-workday" },
            Scenario.ShippedNames.ToHashSet());
    }

    [Theory]
    [MemberData(nameof(Shipped))]
    public void Ground_truth_is_what_the_rules_find_in_the_segments(string name)
    {
        var scenario = Scenario.Load(name);
        Assert.Equal(name, scenario.Name);
        Assert.False(string.IsNullOrWhiteSpace(scenario.Description));

        var found = ScenarioRules.Episodes(scenario);
        var expected = scenario.Expected.OrderBy(e => e.CriterionMet).ToArray();
        // The files give whole seconds; sway can move a ramp's crossing of 20° by a second.
        var tolerance = TimeSpan.FromSeconds(2);
        Assert.True(found.Count == expected.Length,
            $"{name}: the rules find {Describe(found)} but the file expects {Describe(expected)}");
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i].Kind, found[i].Kind);
            Assert.True((expected[i].Start - found[i].Start).Duration() <= tolerance && (expected[i].CriterionMet - found[i].CriterionMet).Duration() <= tolerance,
                $"{name}: expected {expected[i]}, the rules find {found[i]}");
        }
    }

    [Theory]
    [MemberData(nameof(Shipped))]
    public void Walks_that_break_sitting_are_at_least_two_minutes(string name)
    {
        var walks = Scenario.Load(name).Segments.Where(s => s.Activity == Activity.Walk);
        Assert.All(walks, w => Assert.True(w.Duration >= TimeSpan.FromMinutes(2), $"{name}: walk at {w.Start} is {w.Duration}"));
    }

    [Fact]
    public void Interrupted_hunch_is_one_episode_despite_the_short_correction()
    {
        var scenario = Scenario.Load("interrupted-hunch");
        var hunch = Assert.Single(scenario.Expected);
        Assert.Equal(PromptReason.Hunch, hunch.Kind);
        Assert.Contains(scenario.Segments, s => s.Label == "correction" && s.Duration < TimeSpan.FromSeconds(30));
        Assert.True(hunch.CriterionMet - hunch.Start > TimeSpan.FromMinutes(5)); // the correction does not count
    }

    [Fact]
    public void Demo_workday_prompts_early_enough_for_a_60x_demo()
    {
        var scenario = Scenario.Load("demo-workday");
        Assert.Equal(new TimeOnly(9, 0), scenario.StartTime);
        Assert.InRange(scenario.Duration, TimeSpan.FromHours(2), TimeSpan.FromHours(4));
        var firstHunch = scenario.Expected.Where(e => e.Kind == PromptReason.Hunch).Min(e => e.CriterionMet);
        var firstSitting = scenario.Expected.Where(e => e.Kind == PromptReason.Sitting).Min(e => e.CriterionMet);
        Assert.InRange(firstHunch, TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(15));
        Assert.InRange(firstSitting, TimeSpan.FromMinutes(30), TimeSpan.FromMinutes(35));
    }

    [Fact]
    public void Segments_are_laid_end_to_end()
    {
        var scenario = Scenario.Load("phone-bursts");
        for (var i = 1; i < scenario.Segments.Count; i++)
            Assert.Equal(scenario.Segments[i - 1].End, scenario.Segments[i].Start);
        Assert.Equal(scenario.Segments[^1].End, scenario.Duration);
        Assert.Empty(scenario.Expected);
    }

    [Theory]
    [InlineData("""{ "name": "x", "description": "d", "segments": [ { "activity": "sit", "minutes": 1 }, """, "malformed JSON")]
    [InlineData("""{ "name": "x", "description": "d", "segments": [ { "activity": "sit", "minutes": 1 }, { "activity": "run", "minutes": 1 } ], "expected": [] }""", "segment 2: unknown activity \"run\"")]
    [InlineData("""{ "name": "x", "description": "d", "segments": [ { "activity": "sit", "minutes": 1 }, { "activity": "sit", "seconds": -5, "label": "oops" } ], "expected": [] }""", "segment 2 (\"oops\"): duration must be positive")]
    [InlineData("""{ "name": "x", "description": "d", "segments": [ { "activity": "sit", "minutes": 1, "pitch": 95 } ], "expected": [] }""", "segment 1: pitch 95 is outside -90..90")]
    [InlineData("""{ "name": "x", "description": "d", "segments": [ { "activity": "sit" } ], "expected": [] }""", "segment 1: give its length")]
    [InlineData("""{ "name": "x", "description": "d", "segments": [ { "activity": "walk", "minutes": 3 } ], "expected": [] }""", "segment 1: a walk needs \"cadence\"")]
    [InlineData("""{ "description": "d", "segments": [ { "activity": "sit", "minutes": 1 } ], "expected": [] }""", "\"name\" is missing")]
    [InlineData("""{ "name": "x", "description": "d", "segments": [ { "activity": "sit", "minutes": 1 } ] }""", "\"expected\" is missing")]
    [InlineData("""{ "name": "x", "description": "d", "segments": [ { "activity": "sit", "minutes": 1, "pich": 20 } ], "expected": [] }""", "segment 1: unknown field \"pich\"")]
    [InlineData("""{ "name": "x", "description": "d", "segments": [ { "activity": "sit", "minutes": 10 } ], "expected": [ { "kind": "hunch", "start": "1:00", "criterionMet": "20:00" } ] }""", "expected episode 1: criterionMet 00:20:00 is after the scenario's end")]
    [InlineData("""{ "name": "x", "description": "d", "segments": [ { "activity": "sit", "minutes": 10 } ], "expected": [ { "kind": "slump", "start": 0, "criterionMet": 60 } ] }""", "expected episode 1: unknown kind \"slump\"")]
    public void Malformed_files_are_rejected_with_one_clear_line(string json, string expected)
    {
        var path = Path.Combine(Path.GetTempPath(), $"scenario-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, json);
        try
        {
            var e = Assert.Throws<ScenarioException>(() => Scenario.Load(path));
            Assert.Contains(Path.GetFileName(path), e.Message);
            Assert.Contains(expected, e.Message);
            Assert.DoesNotContain('\n', e.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void An_unknown_name_lists_the_shipped_ones()
    {
        var e = Assert.Throws<ScenarioException>(() => Scenario.Load("no-such-day"));
        Assert.Contains("no-such-day", e.Message);
        Assert.Contains("upright-hour", e.Message);
    }

    [Fact]
    public void Offsets_accept_seconds_and_clock_notation_and_comments_are_allowed()
    {
        var scenario = Scenario.Parse("""
            // a human wrote this
            { "name": "x", "description": "d", "seed": 4,
              "segments": [ { "activity": "sit", "minutes": 90 }, ],
              "expected": [ { "kind": "sitting", "start": 0, "criterionMet": "0:30:00" },
                            { "kind": "sitting", "start": "1:00", "criterionMet": 1860 } ] }
            """);
        Assert.Equal(TimeSpan.FromMinutes(30), scenario.Expected[0].CriterionMet);
        Assert.Equal(TimeSpan.FromMinutes(1), scenario.Expected[1].Start);
        Assert.Equal(TimeSpan.FromMinutes(31), scenario.Expected[1].CriterionMet);
        Assert.Equal(TimeSpan.FromMinutes(90), scenario.Duration);
    }

    static string Describe(IEnumerable<ExpectedEpisode> episodes) =>
        "[" + string.Join("; ", episodes.Select(e => $"{e.Kind} {e.Start:h\\:mm\\:ss}->{e.CriterionMet:h\\:mm\\:ss}")) + "]";
}
