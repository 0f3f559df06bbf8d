namespace PostureSense.Core.Exercises;

/// <summary>What a stretch prompt is for.</summary>
public enum PromptReason
{
    Hunch,
    Sitting,
}

public static class PromptReasons
{
    public static string ToWire(this PromptReason reason) => reason == PromptReason.Hunch ? "hunch" : "sitting";

    public static bool TryParse(string? wire, out PromptReason reason)
    {
        reason = wire == "sitting" ? PromptReason.Sitting : PromptReason.Hunch;
        return wire is "hunch" or "sitting";
    }
}

public enum ExerciseKind
{
    /// <summary>Loosens a stiff mid-back: the first answer to hunching.</summary>
    Mobility,
    /// <summary>Builds the upper-back muscles that hold posture.</summary>
    Strengthening,
}

/// <summary>An exercise from the patient guide, with its steps exactly as the wearer is shown them.</summary>
public sealed record Exercise(string Id, string Name, ExerciseKind Kind, IReadOnlyList<string> Steps, string Dose);
