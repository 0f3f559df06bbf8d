using PostureSense.Agent.Replay;
using PostureSense.Agent.Processing;
using PostureSense.Core.Coaching;
using PostureSense.Core.Detection;
using PostureSense.Core.Exercises;
using PostureSense.FirmwareSim.Scenarios;
using PostureSense.FirmwareSim.Sensor;
using PostureSense.GroundTruth;

namespace PostureSense.Agent.Tests.Processing;

/// <summary>
/// Every shipped scenario through the whole device pipeline (simulated MPU-6050 with noise, gyro
/// bias and a crooked mounting, the real driver, FIFO sampling, fusion and framing) into the
/// server's detectors on event time: the episodes found are the scenario's ground truth, no more.
/// A hunch the wearer held within 1° of the threshold is "don't care": a crooked board may read it
/// either side, so it may be found or not.
/// </summary>
public class ScenarioDetectionTests
{
    // Fusion smooths and ramps cross the threshold gradually: a few seconds either way is the same episode.
    static readonly TimeSpan Tolerance = TimeSpan.FromSeconds(10);

    /// <summary>A detection this close to a near-threshold hunch's criterion is that hunch (as in the eval).</summary>
    static readonly TimeSpan DontCareWindow = TimeSpan.FromSeconds(60);

    static readonly SensorCharacteristics WornCrooked = new() { MountingPitchDeg = 9, MountingRollDeg = -4, MountingYawDeg = 3, Seed = 7 };

    /// <summary>
    /// The shipped scenarios up to an hour long, each on a board worn crooked (instead of its own).
    /// The full workdays go through the same pipeline in the eval (tests/PostureSense.Eval.Tests).
    /// </summary>
    public static TheoryData<string> Shipped() => [.. Scenario.ShippedNames.Where(n => Scenario.Load(n).Duration <= TimeSpan.FromHours(1))];

    [Theory]
    [MemberData(nameof(Shipped))]
    public void The_detectors_find_exactly_the_ground_truth_episodes(string name)
    {
        var scenario = Scenario.Load(name);
        var options = new ReplayOptions();
        var replay = OfflineReplay.Run(clock => SimulatedMpu6050.ForScenario(scenario, clock, WornCrooked), scenario.Duration, options);

        var monitor = new PostureMonitor(CoachingSettings.Default);
        var detected = new List<PostureRun>();
        foreach (var frame in replay.Frames) monitor.Observe(frame, started: detected);

        Assert.Equal(0, replay.FifoOverflows);
        var truth = ScenarioTruth.Seconds(scenario);
        var nearThreshold = ReferenceRules.Hunches(truth).Where(e => e.NearThreshold).Concat(ReferenceRules.MarginalHunches(truth))
            .Select(e => TimeSpan.FromSeconds(e.CriterionMet)).ToArray();
        bool DontCare(PromptReason kind, TimeSpan met) =>
            kind == PromptReason.Hunch && nearThreshold.Any(n => (n - met).Duration() <= DontCareWindow);
        foreach (var kind in new[] { PromptReason.Hunch, PromptReason.Sitting })
        {
            var expected = scenario.Expected.Where(e => e.Kind == kind && !DontCare(kind, e.CriterionMet)).OrderBy(e => e.CriterionMet).ToList();
            var found = detected.Where(r => r.Kind == kind && !DontCare(kind, Offset(options, r.DetectedTs!.Value))).OrderBy(r => r.DetectedTs).ToList();
            Assert.True(expected.Count == found.Count,
                $"{name}: expected {expected.Count} {kind} episode(s), detected {found.Count} at " +
                string.Join(", ", found.Select(r => Offset(options, r.DetectedTs!.Value))));
            for (var i = 0; i < expected.Count; i++)
            {
                var criterion = Offset(options, found[i].DetectedTs!.Value);
                Assert.True((criterion - expected[i].CriterionMet).Duration() <= Tolerance,
                    $"{name}: {kind} episode {i + 1} met its criterion at {criterion}, ground truth {expected[i].CriterionMet}");
            }
        }
    }

    [Fact]
    public void Phone_bursts_shorter_than_the_limit_give_the_wearer_edge_nudges_but_no_prompt()
    {
        var scenario = Scenario.Load("phone-bursts");
        var replay = OfflineReplay.Run(clock => SimulatedMpu6050.ForScenario(scenario, clock), scenario.Duration);
        var monitor = new PostureMonitor(CoachingSettings.Default);
        var detected = new List<PostureRun>();
        foreach (var frame in replay.Frames) monitor.Observe(frame, started: detected);

        Assert.Empty(detected);
        // Each burst of 2-3 min at 35° is long enough for the 30 s edge nudge.
        Assert.NotEmpty(replay.Nudges);
    }

    static TimeSpan Offset(ReplayOptions options, long ts) => DateTimeOffset.FromUnixTimeMilliseconds(ts) - options.Start;
}
