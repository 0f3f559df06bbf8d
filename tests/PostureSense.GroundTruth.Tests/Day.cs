using PostureSense.GroundTruth;

namespace PostureSense.GroundTruth.Tests;

/// <summary>A truth sequence written the way one would tell it: "sit at 20° for 5 min, then ...".</summary>
sealed class Day
{
    readonly List<TruthSecond> _seconds = [];

    public int Now => _seconds.Count;

    public IReadOnlyList<TruthSecond> Seconds => _seconds;

    public Day Sit(int seconds, double flexion = 0) => Add(seconds, flexion, Activity.Sitting);

    public Day Stand(int seconds, double flexion = 0) => Add(seconds, flexion, Activity.Standing);

    public Day Walk(int seconds, double flexion = 0) => Add(seconds, flexion, Activity.Walking);

    public Day Lie(int seconds, double flexion = 90) => Add(seconds, flexion, Activity.Lying);

    public Day Floor(int seconds, double flexion = 85) => Add(seconds, flexion, Activity.Floor);

    public Day Add(int seconds, double flexion, Activity activity)
    {
        for (var i = 0; i < seconds; i++)
            _seconds.Add(new TruthSecond(flexion, activity));
        return this;
    }

    public IReadOnlyList<ReferenceEpisode> Hunches() => ReferenceRules.Hunches(_seconds);

    public IReadOnlyList<ReferenceEpisode> Sittings() =>
        [.. ReferenceRules.Episodes(_seconds).Where(e => e.Kind == EpisodeKind.Sitting)];

    public static int Min(int minutes, int seconds = 0) => minutes * 60 + seconds;
}
