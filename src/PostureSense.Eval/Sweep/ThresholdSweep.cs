using PostureSense.Core.Coaching;
using PostureSense.Core.Exercises;
using PostureSense.Eval.Running;
using PostureSense.FirmwareSim.Scenarios;
using PostureSense.GroundTruth;

namespace PostureSense.Eval.Sweep;

/// <summary>
/// Detection and prompting as a function of the held trunk angle: the library is built with every
/// posture far from 20°, so it cannot show how much margin the pipeline has; this does. Each
/// session runs through <see cref="ScenarioRun"/>, the path every library scenario takes.
/// </summary>
public static class ThresholdSweep
{
    /// <summary>15-25° in 0.5° steps: the full sweep for the command line.</summary>
    public static IReadOnlyList<double> DefaultAngles { get; } = [.. Enumerable.Range(0, 21).Select(i => 15 + i * 0.5)];
    public const int DefaultSeeds = 5;
    /// <summary>Sessions are seeded from here on, apart from the library's seeds.</summary>
    public const int FirstSeed = 1001;

    public static SweepResult Run(IReadOnlyList<double> angles, int seeds, int parallelism)
    {
        ArgumentNullException.ThrowIfNull(angles);
        ArgumentOutOfRangeException.ThrowIfLessThan(seeds, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(parallelism, 1);
        var rules = new RuleSettings();
        var threshold = CoachingSettings.Default.HunchPitchDeg;
        var work = angles.SelectMany(a => Enumerable.Range(FirstSeed, seeds).Select(seed => (Angle: a, Seed: seed))).ToArray();
        var results = new SweepSessionResult[work.Length];
        Parallel.For(0, work.Length, new ParallelOptions { MaxDegreeOfParallelism = parallelism },
            i => results[i] = RunOne(work[i].Angle, work[i].Seed));
        var rows = results
            .GroupBy(r => r.AngleDeg)
            .OrderBy(g => g.Key)
            .Select(g => new SweepRow(g.Key, Classify(g.Key, threshold, rules.NearThresholdMarginDegrees), [.. g.OrderBy(r => r.Seed)]))
            .ToArray();
        return new SweepResult(threshold, rules.NearThresholdMarginDegrees, rows);
    }

    /// <summary>By the angle held: within the margin of the threshold (its ends included) is don't care.</summary>
    public static SweepClass Classify(double angleDeg, double thresholdDeg, double marginDeg) =>
        Math.Abs(angleDeg - thresholdDeg) <= marginDeg + 1e-9 ? SweepClass.DontCare
        : angleDeg > thresholdDeg ? SweepClass.Hunch
        : SweepClass.Upright;

    static SweepSessionResult RunOne(double angle, int seed)
    {
        var scenario = SweepSession.Of(angle, seed);
        var outcome = ScenarioRun.Run(scenario);
        var truth = ScenarioTruth.Seconds(scenario);
        var (from, to) = SweepSession.HoldSeconds;
        var flexion = truth[from..to].Average(s => s.FlexionDegrees);
        var held = outcome.Telemetry
            .Where(f => outcome.OffsetOf(f.Ts) >= TimeSpan.FromSeconds(from) && outcome.OffsetOf(f.Ts) < TimeSpan.FromSeconds(to))
            .ToArray();
        var read = held.Length == 0 ? double.NaN : held.Average(f => f.Pitch);
        return new SweepSessionResult(angle, seed, flexion, read,
            outcome.Episodes.Any(e => e.Kind == PromptReason.Hunch),
            outcome.Prompts.Any(p => p.Reason == PromptReason.Hunch));
    }
}
