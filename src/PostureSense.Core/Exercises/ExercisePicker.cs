namespace PostureSense.Core.Exercises;

/// <summary>
/// Picks the exercise a prompt suggests. Hunching calls for mobility first (Cat-Cow, Thread the
/// Needle); sitting calls for standing up and walking, then a strengthening exercise. It rotates
/// through each list so the wearer is not sent the same exercise twice in a row.
/// </summary>
public sealed class ExercisePicker
{
    static readonly Exercise[] ForHunch = [ExerciseCatalog.CatCow, ExerciseCatalog.ThreadTheNeedle];
    static readonly Exercise[] ForSitting = [ExerciseCatalog.Superman, ExerciseCatalog.DumbbellRow, ExerciseCatalog.BandSeatedRow];

    string? _lastId;
    readonly Dictionary<PromptReason, int> _next = new() { [PromptReason.Hunch] = 0, [PromptReason.Sitting] = 0 };

    /// <param name="lastSentId">The exercise last sent to this wearer, e.g. restored from history.</param>
    public ExercisePicker(string? lastSentId = null) => _lastId = lastSentId;

    public Exercise Pick(PromptReason reason)
    {
        var list = reason == PromptReason.Hunch ? ForHunch : ForSitting;
        var i = _next[reason];
        var pick = list[i % list.Length];
        if (pick.Id == _lastId) pick = list[++i % list.Length];
        _next[reason] = (i + 1) % list.Length;
        _lastId = pick.Id;
        return pick;
    }

    /// <summary>The advice that goes with a sitting prompt, before the exercise.</summary>
    public static string Lead(PromptReason reason) => reason == PromptReason.Sitting
        ? "Stand up and walk for at least 2 minutes, then:"
        : "Loosen your mid-back:";
}
