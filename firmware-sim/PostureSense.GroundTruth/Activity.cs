namespace PostureSense.GroundTruth;

/// <summary>What the wearer is truly doing in one second, as far as the coaching rules care.</summary>
public enum Activity
{
    /// <summary>Seated (desk, sofa, car). The trunk's flexion is judged for the hunch rule, and the
    /// second is one without walking for the sitting rule.</summary>
    Sitting,

    /// <summary>On the feet without walking (standing desk, queue, a bend to pick something up).
    /// Flexion is judged for the hunch rule like sitting. DESIGN.md defines prolonged sitting as
    /// "no walking for 30 min", so standing still counts toward it too.</summary>
    Standing,

    /// <summary>Walking (or climbing stairs). Never hunched: the hunch rule is about static posture
    /// (ISO 11226), so a walking second is a correction. It is the only activity that breaks up
    /// sitting, and only a walk of at least 2 min resets it.</summary>
    Walking,

    /// <summary>Lying down (supine, on the side). The angle from upright says nothing of hunching
    /// here, so it is never hunched; it is not walking, so it counts toward prolonged sitting.</summary>
    Lying,

    /// <summary>On the floor: on all fours or prone, doing a floor stretch (Cat-Cow, Thread the
    /// Needle, Superman). Never hunched, for the same reason as lying; not walking, so it neither
    /// breaks up nor resets sitting (DESIGN.md: "a break must be a real break": 2 min of walking).</summary>
    Floor,
}

/// <summary>One second of the wearer's truth.</summary>
/// <param name="FlexionDegrees">True forward flexion of the upper back from the wearer's upright,
/// in degrees, positive forward: what DESIGN.md's <c>pitch</c> is meant to measure.</param>
/// <param name="Activity">What the wearer is doing.</param>
public readonly record struct TruthSecond(double FlexionDegrees, Activity Activity)
{
    /// <summary>Whether the hunch rule judges this second's flexion at all: only upright postures,
    /// where flexion from upright is a hunch (see <see cref="Activity"/>).</summary>
    public bool IsUprightPosture => Activity is Activity.Sitting or Activity.Standing;

    public bool IsWalking => Activity == Activity.Walking;
}
