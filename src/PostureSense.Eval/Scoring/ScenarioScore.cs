using PostureSense.Core.Exercises;
using PostureSense.Eval.Running;

namespace PostureSense.Eval.Scoring;

/// <summary>A nudge that came while the wearer was doing something that should not buzz.</summary>
public sealed record QuietNudge(TimeSpan At, QuietActivity During);

/// <summary>How one scenario came out.</summary>
public sealed record ScenarioScore(ScenarioOutcome Outcome, EpisodeScore Hunch, EpisodeScore Sitting, int Nudges, IReadOnlyList<QuietNudge> QuietNudges, IReadOnlyList<StretchScore> Stretches)
{
    public string Name => Outcome.Scenario.Name;
    public IEnumerable<EpisodeScore> Kinds => [Hunch, Sitting];
    public IEnumerable<FalsePrompt> FalsePrompts => Hunch.FalsePrompts.Concat(Sitting.FalsePrompts);

    public static ScenarioScore Of(ScenarioOutcome outcome, TruthSource truthSource = TruthSource.File)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        var truth = TruthEpisodes.Of(outcome.Scenario, truthSource);
        // A nudge ends the frame that completed its hold: that frame shows what the wearer was doing.
        var quiet = outcome.Nudges
            .Select(n => n.At - outcome.Start)
            .Select(at => new QuietNudge(at, QuietActivities.At(outcome.Scenario, at - TimeSpan.FromSeconds(1))))
            .Where(n => n.During != QuietActivity.None)
            .ToArray();
        return new ScenarioScore(outcome, EpisodeScore.Of(outcome, PromptReason.Hunch, truth), EpisodeScore.Of(outcome, PromptReason.Sitting, truth),
            outcome.Nudges.Count, quiet, StretchScore.Of(outcome));
    }
}
