using System.Diagnostics.CodeAnalysis;

namespace PostureSense.Core.Exercises;

/// <summary>
/// The five exercises of the patient guide on mid-back pain (shared design, "Exercise catalog"),
/// and the guide's advice on when to see a professional.
/// </summary>
public static class ExerciseCatalog
{
    public static readonly Exercise CatCow = new("cat-cow", "Cat-Cow stretch", ExerciseKind.Mobility,
    [
        "On hands and knees, neutral spine.",
        "Inhale, drop the belly and lift head and tailbone (cow).",
        "Exhale, round the spine and tuck the chin (cat).",
    ], "10-15 times");

    public static readonly Exercise ThreadTheNeedle = new("thread-the-needle", "Thread the Needle", ExerciseKind.Mobility,
    [
        "On hands and knees.",
        "Slide one arm under the body, rotating the upper body.",
    ], "hold 20-30 s each side");

    public static readonly Exercise Superman = new("superman", "Superman", ExerciseKind.Strengthening,
    [
        "Face down, arms forward.",
        "Lift arms, chest and legs together.",
    ], "hold 3-5 s, 8-10 times");

    public static readonly Exercise DumbbellRow = new("dumbbell-row", "Dumbbell rows", ExerciseKind.Strengthening,
    [
        "Feet hip-width, knees soft, hinge at the hips with a straight back.",
        "Pull the weights to the lower ribs, squeezing the shoulder blades.",
    ], "3 sets of 10-12");

    public static readonly Exercise BandSeatedRow = new("band-seated-row", "Seated row with resistance band", ExerciseKind.Strengthening,
    [
        "Sit with legs extended, band around the feet, arms straight.",
        "Pull to the lower ribs, squeeze the shoulder blades, return slowly.",
    ], "3 sets of 12-15");

    public static IReadOnlyList<Exercise> All { get; } = [CatCow, ThreadTheNeedle, Superman, DumbbellRow, BandSeatedRow];

    /// <summary>The guide's warning signs: PostureSense never diagnoses or treats.</summary>
    public static IReadOnlyList<string> SeeAProfessionalWhen { get; } =
    [
        "pain lasting several weeks",
        "pain that interferes with daily activities",
        "numbness or tingling",
        "pain after an injury such as a fall",
    ];

    /// <summary>Shown wherever exercises are: coaching, not medical advice.</summary>
    public const string Disclaimer = "PostureSense coaches posture habits. It does not diagnose or treat any condition.";

    public static bool TryGet(string? id, [NotNullWhen(true)] out Exercise? exercise)
    {
        exercise = All.FirstOrDefault(e => e.Id == id);
        return exercise is not null;
    }
}
