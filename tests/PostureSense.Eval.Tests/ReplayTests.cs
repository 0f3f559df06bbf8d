using PostureSense.Eval.Running;
using PostureSense.FirmwareSim.Scenarios;

namespace PostureSense.Eval.Tests;

public class ReplayTests
{
    [Fact]
    public void A_scenario_replays_exactly_the_same_every_time()
    {
        var scenario = Scenario.Load("hunch-then-stretch");
        var first = ScenarioRun.Run(scenario);
        var second = ScenarioRun.Run(scenario);

        Assert.Equal(first.Frames, second.Frames);
        Assert.Equal(first.Episodes, second.Episodes);
        Assert.Equal(first.Prompts.Select(p => (p.Ts, p.Reason, p.EpisodeStartTs)), second.Prompts.Select(p => (p.Ts, p.Reason, p.EpisodeStartTs)));
        Assert.Equal(first.Nudges, second.Nudges);
        Assert.Equal(first.Acks.Select(a => (a.At, a.Ack.Id, a.Ack.Status, a.Ack.Reps, string.Join(",", a.Ack.HoldsS ?? []))),
            second.Acks.Select(a => (a.At, a.Ack.Id, a.Ack.Status, a.Ack.Reps, string.Join(",", a.Ack.HoldsS ?? []))));
    }

    [Fact]
    public void A_scenario_runs_on_its_own_time_of_day_and_all_its_telemetry_reaches_the_server()
    {
        var scenario = Scenario.Parse("""
            { "name": "t", "description": "t", "start": "08:30", "segments": [ { "activity": "sit", "minutes": 3 } ], "expected": [] }
            """);
        var outcome = ScenarioRun.Run(scenario);

        Assert.Equal(new DateTimeOffset(2026, 1, 5, 8, 30, 0, TimeSpan.Zero), outcome.Start);
        Assert.Equal(0, outcome.FramesRejected);
        Assert.Equal(0, outcome.FifoOverflows);
        // One frame a second, all sent in 5 s batches: only the frames after the last batch stay behind.
        Assert.InRange(outcome.Frames, 180 - 5, 180);
    }
}
