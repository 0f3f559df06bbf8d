using PostureSense.Core.Coaching;
using PostureSense.Core.Detection;
using PostureSense.Core.Posture;
using PostureSense.FirmwareSim.Wearer;

namespace PostureSense.FirmwareSim.Scenarios;

/// <summary>
/// What the coaching rules find in a scenario when fed the wearer's true posture as ideal 1 s
/// frames (no sensor, no fusion). Checks a scenario's hand-written ground truth, and shows what
/// an end-to-end run should come close to. Like the device, it measures posture from the upright
/// the wearer held while the device calibrated (the first seconds of the scenario): someone
/// whose natural upright is 3° forward hunches at 23°, not at 20°.
/// </summary>
public static class ScenarioRules
{
    /// <summary>Motion of an ideal frame: walking is well above the 0.05 g threshold, still well below; anything else as the trunk moves.</summary>
    const double WalkingMotionG = 0.2, StillMotionG = 0.01;

    /// <summary>How long the device averages the wearer's posture at start to calibrate.</summary>
    public static readonly TimeSpan Calibration = TimeSpan.FromSeconds(3);

    public static IReadOnlyList<ExpectedEpisode> Episodes(Scenario scenario, CoachingSettings? settings = null)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        var monitor = new PostureMonitor(settings ?? CoachingSettings.Default);
        var wearer = new ScenarioWearer(scenario);
        var upright = wearer.At(Calibration / 2);
        var started = new List<PostureRun>();
        const long epochMs = 1_000_000_000_000; // any instant: the detectors only compare times
        var stepCarry = 0.0;
        var seconds = (int)Math.Ceiling(scenario.Duration.TotalSeconds);
        for (var s = 0; s < seconds; s++)
        {
            var state = wearer.At(TimeSpan.FromSeconds(s + 0.5));
            var segment = scenario.Segments[scenario.SegmentIndexAt(TimeSpan.FromSeconds(s + 0.5))];
            var steps = 0;
            if (state.Walking)
            {
                stepCarry += segment.CadenceStepsPerMin / 60;
                steps = (int)stepCarry;
                stepCarry -= steps;
            }
            var motion = state.Walking ? WalkingMotionG : Math.Max(StillMotionG, MotionRms(wearer, s));
            var frame = new PostureFrame(epochMs + s * 1000L, state.PitchDeg - upright.PitchDeg, state.RollDeg - upright.RollDeg, motion, steps);
            monitor.Observe(frame, started);
        }
        return started
            .Select(run => new ExpectedEpisode(run.Kind, TimeSpan.FromMilliseconds(run.StartTs - epochMs), TimeSpan.FromMilliseconds(run.DetectedTs!.Value - epochMs)))
            .OrderBy(e => e.CriterionMet)
            .ToArray();
    }

    /// <summary>RMS of the trunk's own acceleration over second <paramref name="s"/>: fidgets move a sitter, if briefly.</summary>
    static double MotionRms(ScenarioWearer wearer, int s)
    {
        const int PerSecond = 10;
        var sum = 0.0;
        for (var i = 0; i < PerSecond; i++)
            sum += wearer.At(TimeSpan.FromSeconds(s + (i + 0.5) / PerSecond)).LinearAccelG.LengthSquared();
        return Math.Sqrt(sum / PerSecond);
    }
}
