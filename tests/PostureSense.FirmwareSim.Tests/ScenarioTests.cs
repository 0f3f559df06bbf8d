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
    public void PostureMonitor_on_ideal_frames_finds_the_expected_episodes(string name)
    {
        // The detectors' own reading of the rules, before sensor and fusion; whether the file is
        // the truth is checked against the reference rules (ReferenceTruthTests).
        var scenario = Scenario.Load(name);
        Assert.Equal(name, scenario.Name);
        Assert.False(string.IsNullOrWhiteSpace(scenario.Description));

        var problems = Differences(ScenarioRules.Episodes(scenario), scenario.Expected.OrderBy(e => e.CriterionMet).ToArray());

        if (IdealFramesDiffer.TryGetValue(name, out var reason))
            Assert.True(problems.Count > 0, $"{name}: the detectors now read it as the file does; take it off the list ({reason})");
        else
            Assert.True(problems.Count == 0, $"{name}: {string.Join("; ", problems)}");
    }

    /// <summary>
    /// Files written from the reference rules that the detectors, even on ideal frames, read a few
    /// seconds apart. The file stays the truth; the eval scores what the difference costs.
    /// </summary>
    static readonly Dictionary<string, string> IdealFramesDiffer = new()
    {
        ["walk-breaks-near-reset"] = "after the 130 s walk the detector starts the sitting bout at 0:39:04, when its 5 s step window stops showing walking, and meets it at 1:10:34; the wearer sat down at 0:39:00, met at 1:10:30",
        ["walk-turns-stop-start"] = "after the 150 s walk the detector starts the sitting bout at 0:27:34, when its 5 s step window stops showing walking, and meets it at 0:57:34; the wearer sat down at 0:27:30, met at 0:57:30",
        ["workday-typing"] = "after the 150 s walk the detector starts the sitting bout at 0:36:34, when its 5 s step window stops showing walking, and meets it at 1:06:34; the wearer sat down at 0:36:30, met at 1:06:30",
    };

    static List<string> Differences(IReadOnlyList<ExpectedEpisode> found, ExpectedEpisode[] expected)
    {
        // The files give whole seconds; sway can move a ramp's crossing of 20° by a second.
        var tolerance = TimeSpan.FromSeconds(2);
        if (found.Count != expected.Length)
            return [$"the rules find {Describe(found)} but the file expects {Describe(expected)}"];
        return [.. expected.Zip(found)
            .Where(p => p.First.Kind != p.Second.Kind
                || (p.First.Start - p.Second.Start).Duration() > tolerance || (p.First.CriterionMet - p.Second.CriterionMet).Duration() > tolerance)
            .Select(p => $"expected {p.First}, the rules find {p.Second}")];
    }

    [Fact]
    public void The_listed_ideal_frame_differences_are_shipped_scenarios()
    {
        Assert.Subset(Scenario.ShippedNames.ToHashSet(), IdealFramesDiffer.Keys.ToHashSet());
    }

    [Fact]
    public void The_library_holds_thirty_scenarios_with_full_workdays()
    {
        var scenarios = Scenario.ShippedNames.Select(Scenario.Load).ToArray();
        Assert.True(scenarios.Length >= 30, $"{scenarios.Length} scenarios");
        Assert.True(scenarios.Count(s => s.Duration == TimeSpan.FromHours(8) && s.StartTime is not null && s.Stretches.Count > 0) >= 3);
        Assert.Equal(scenarios.Length, scenarios.Select(s => s.Seed).Distinct().Count());
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
    [InlineData("""{ "name": "x", "description": "d", "segments": [ { "activity": "bend", "seconds": 45 } ], "expected": [] }""", "segment 1: a bend lasts at most 30 s")]
    [InlineData("""{ "name": "x", "description": "d", "segments": [ { "activity": "lie", "minutes": 5 } ], "expected": [] }""", "\"position\" is missing")]
    [InlineData("""{ "name": "x", "description": "d", "segments": [ { "activity": "lie", "minutes": 5, "position": "upside-down" } ], "expected": [] }""", "unknown position \"upside-down\"")]
    [InlineData("""{ "name": "x", "description": "d", "segments": [ { "activity": "lie", "minutes": 5, "position": "back", "pitch": 10 } ], "expected": [] }""", "\"pitch\" only applies to a posture that is not lying down")]
    [InlineData("""{ "name": "x", "description": "d", "segments": [ { "activity": "sit", "minutes": 5, "cadence": 100 } ], "expected": [] }""", "\"cadence\" only applies to a walk or stairs")]
    [InlineData("""{ "name": "x", "description": "d", "segments": [ { "activity": "sit", "minutes": 5, "slouch": "banana" } ], "expected": [] }""", "unknown slouch \"banana\"")]
    [InlineData("""{ "name": "x", "description": "d", "segments": [ { "activity": "walk", "minutes": 5, "cadence": 100, "fidgets": 2 } ], "expected": [] }""", "\"fidgets\" only applies to sitting or standing")]
    [InlineData("""{ "name": "x", "description": "d", "segments": [ { "activity": "sit", "minutes": 5, "fidgets": 40 } ], "expected": [] }""", "fidgets 40 is outside 0..10 a minute")]
    [InlineData("""{ "name": "x", "description": "d", "segments": [ { "activity": "sit", "minutes": 5, "prompt": "yoga" } ], "expected": [] }""", "prompt \"yoga\" is not a catalog exercise")]
    [InlineData("""{ "name": "x", "description": "d", "segments": [ { "activity": "cat-cow", "seconds": 40, "reps": 12 } ], "expected": [] }""", "segment 1: the cat-cow needs 82 s")]
    [InlineData("""{ "name": "x", "description": "d", "segments": [ { "activity": "cat-cow", "seconds": 90, "quality": "none", "reps": 3 } ], "expected": [] }""", "quality \"none\" means nothing is done")]
    [InlineData("""{ "name": "x", "description": "d", "segments": [ { "activity": "cat-cow", "seconds": 90, "quality": "sloppy" } ], "expected": [] }""", "unknown quality \"sloppy\"")]
    [InlineData("""{ "name": "x", "description": "d", "segments": [ { "activity": "cat-cow", "seconds": 90, "holdsS": [20] } ], "expected": [] }""", "\"holdsS\" does not apply: cat-cow counts cycles")]
    [InlineData("""{ "name": "x", "description": "d", "segments": [ { "activity": "thread-the-needle", "seconds": 90, "holdsS": [20, "long"] } ], "expected": [] }""", "\"holdsS\" must be a number")]
    [InlineData("""{ "name": "x", "description": "d", "segments": [ { "activity": "superman", "seconds": 90, "prompt": "superman" } ], "expected": [] }""", "a stretch segment is its own prompt")]
    [InlineData("""{ "name": "x", "description": "d", "segments": [ { "activity": "superman", "seconds": 90, "promptedBefore": 30 } ], "expected": [] }""", "promptedBefore 30 s is before the scenario starts")]
    [InlineData("""{ "name": "x", "description": "d", "sensor": { "mountingPitch": 60 }, "segments": [ { "activity": "sit", "minutes": 1 } ], "expected": [] }""", "sensor: mountingPitch 60 is outside -45..45 degrees")]
    [InlineData("""{ "name": "x", "description": "d", "sensor": { "gyroBiasDps": [1, 2] }, "segments": [ { "activity": "sit", "minutes": 1 } ], "expected": [] }""", "sensor: \"gyroBiasDps\" needs 3 numbers")]
    [InlineData("""{ "name": "x", "description": "d", "sensor": { "noise": 1 }, "segments": [ { "activity": "sit", "minutes": 1 } ], "expected": [] }""", "sensor: unknown field \"noise\"")]
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
