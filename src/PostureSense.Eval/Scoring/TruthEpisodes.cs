using PostureSense.Core.Exercises;
using PostureSense.FirmwareSim.Scenarios;
using PostureSense.GroundTruth;

namespace PostureSense.Eval.Scoring;

/// <summary>Where a scenario's true episodes come from.</summary>
public enum TruthSource
{
    /// <summary>The episodes the scenario file lists under <c>expected</c>.</summary>
    File,

    /// <summary>DESIGN.md's rules, as the reference implementation reads them, applied to the wearer's
    /// true flexion and activity second by second: no detector had a hand in them.</summary>
    Reference,
}

/// <summary>
/// The episodes a scenario's detections are scored against: those that must be found, and those
/// that may be found or not ("don't care": a hunch held within 1° of the threshold, where a real
/// board's offsets could put the reading on either side).
/// </summary>
public sealed record TruthEpisodes(IReadOnlyList<ExpectedEpisode> Required, IReadOnlyList<ExpectedEpisode> DontCare)
{
    public static TruthEpisodes Of(Scenario scenario, TruthSource source) => source switch
    {
        TruthSource.File => FromFile(scenario),
        TruthSource.Reference => FromReference(scenario),
        _ => throw new ArgumentOutOfRangeException(nameof(source), source, null),
    };

    public static TruthEpisodes FromFile(Scenario scenario)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        return new(scenario.Expected, []);
    }

    public static TruthEpisodes FromReference(Scenario scenario)
    {
        var truth = ScenarioTruth.Seconds(scenario);
        var episodes = ReferenceRules.Episodes(truth);
        return new(
            [.. episodes.Where(e => !e.NearThreshold).Select(Expected)],
            [.. episodes.Where(e => e.NearThreshold).Concat(ReferenceRules.MarginalHunches(truth)).Select(Expected)]);
    }

    static ExpectedEpisode Expected(ReferenceEpisode e) => new(
        e.Kind == EpisodeKind.Hunch ? PromptReason.Hunch : PromptReason.Sitting,
        TimeSpan.FromSeconds(e.Start), TimeSpan.FromSeconds(e.CriterionMet));
}
