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
    /// <summary>A file's episode is the reference's near-threshold one when their criteria are this close.</summary>
    static readonly TimeSpan SameEpisode = TimeSpan.FromSeconds(60);

    public static TruthEpisodes Of(Scenario scenario, TruthSource source) => source switch
    {
        TruthSource.File => FromFile(scenario),
        TruthSource.Reference => FromReference(scenario),
        _ => throw new ArgumentOutOfRangeException(nameof(source), source, null),
    };

    /// <summary>
    /// The file's episodes, less the hunches the wearer held within 1° of the threshold: those are
    /// "don't care" whether the file lists them or not, so neither finding nor missing one is scored.
    /// </summary>
    public static TruthEpisodes FromFile(Scenario scenario)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        var dontCare = NearThreshold(ScenarioTruth.Seconds(scenario));
        return new(
            [.. scenario.Expected.Where(e => !dontCare.Any(d => d.Kind == e.Kind && (d.CriterionMet - e.CriterionMet).Duration() <= SameEpisode))],
            dontCare);
    }

    public static TruthEpisodes FromReference(Scenario scenario)
    {
        var truth = ScenarioTruth.Seconds(scenario);
        return new([.. ReferenceRules.Episodes(truth).Where(e => !e.NearThreshold).Select(Expected)], NearThreshold(truth));
    }

    static ExpectedEpisode[] NearThreshold(IReadOnlyList<TruthSecond> truth) =>
        [.. ReferenceRules.Hunches(truth).Where(e => e.NearThreshold).Concat(ReferenceRules.MarginalHunches(truth)).Select(Expected)];

    /// <summary>
    /// The required episodes whose prompt is due by DESIGN.md's prompt rule: not inside the
    /// cooldown after the last prompt of their kind, not in quiet hours. The others are still
    /// episodes to detect, but their missing prompt is right.
    /// </summary>
    /// <param name="start">Local clock time of the scenario's start.</param>
    public IReadOnlySet<ExpectedEpisode> PromptDue(DateTime start)
    {
        var byReference = Required.ToDictionary(Reference, e => e);
        return PromptRule.Prompted(byReference.Keys, start).Select(r => byReference[r]).ToHashSet();
    }

    static ReferenceEpisode Reference(ExpectedEpisode e)
    {
        var met = (int)e.CriterionMet.TotalSeconds;
        return new(e.Kind == PromptReason.Hunch ? EpisodeKind.Hunch : EpisodeKind.Sitting, (int)e.Start.TotalSeconds, met, met);
    }

    static ExpectedEpisode Expected(ReferenceEpisode e) => new(
        e.Kind == EpisodeKind.Hunch ? PromptReason.Hunch : PromptReason.Sitting,
        TimeSpan.FromSeconds(e.Start), TimeSpan.FromSeconds(e.CriterionMet));
}
