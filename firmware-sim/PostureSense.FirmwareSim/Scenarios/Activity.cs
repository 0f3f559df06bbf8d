namespace PostureSense.FirmwareSim.Scenarios;

/// <summary>
/// What the wearer does in a segment. Standing still counts as sitting by the rules: only walking
/// (or stairs) breaks a bout, and time with the trunk near horizontal (lying, the floor stretches).
/// </summary>
public enum Activity
{
    Sit,
    Stand,
    Walk,
    /// <summary>Up or down a flight of stairs: a walk with a heavier step and a forward lean going up.</summary>
    Stairs,
    /// <summary>Lying down: on the back, the front or a side.</summary>
    Lie,
    /// <summary>A brief bend (to pick something up): down, a moment there, and back to the posture before.</summary>
    Bend,
    /// <summary>Cat-Cow on hands and knees: the spine rounds and arches.</summary>
    CatCow,
    /// <summary>Thread the Needle on hands and knees: the upper body turns to one side and holds.</summary>
    ThreadTheNeedle,
    /// <summary>Superman, face down: arms, chest and legs lift together and hold.</summary>
    Superman,
}

public static class Activities
{
    public static bool IsWalking(this Activity activity) => activity is Activity.Walk or Activity.Stairs;

    public static bool IsStretch(this Activity activity) => activity is Activity.CatCow or Activity.ThreadTheNeedle or Activity.Superman;

    /// <summary>The catalog id of a stretch activity (cat-cow, thread-the-needle, superman).</summary>
    public static string? ExerciseId(this Activity activity) => activity switch
    {
        Activity.CatCow => "cat-cow",
        Activity.ThreadTheNeedle => "thread-the-needle",
        Activity.Superman => "superman",
        _ => null,
    };

    /// <summary>The name used in scenario files.</summary>
    public static string ToFileName(this Activity activity) => activity switch
    {
        Activity.Sit => "sit",
        Activity.Stand => "stand",
        Activity.Walk => "walk",
        Activity.Stairs => "stairs",
        Activity.Lie => "lie",
        Activity.Bend => "bend",
        _ => activity.ExerciseId()!,
    };

    public static IReadOnlyList<Activity> All { get; } = Enum.GetValues<Activity>();
}
