using PostureSense.Core.Contract;
using PostureSense.Core.Exercises;
using PostureSense.Core.History;

namespace PostureSense.Server.Alerts;

/// <summary>What the wearer's phone shows for a stretch prompt: the same words on every channel.</summary>
/// <param name="Reminder">True when it comes back after a snooze.</param>
public sealed record PromptAlert(
    DeviceId DeviceId, string CommandId, long Ts, string Reason, string Exercise, string ExerciseName,
    IReadOnlyList<string> Steps, string Dose, bool Reminder, string Title, string Message)
{
    public static PromptAlert From(PromptRecord prompt, bool reminder = false) =>
        Create(prompt.DeviceId, prompt.CommandId, prompt.Ts, prompt.Reason, prompt.ExerciseId, reminder);

    public static PromptAlert Create(DeviceId deviceId, string commandId, long ts, PromptReason reason, string exerciseId, bool reminder)
    {
        ExerciseCatalog.TryGet(exerciseId, out var exercise);
        var name = exercise?.Name ?? exerciseId;
        var why = reason == PromptReason.Hunch ? "You have been hunched forward for a while." : "You have been sitting for a long time.";
        return new PromptAlert(deviceId, commandId, ts, reason.ToWire(), exerciseId, name, exercise?.Steps ?? [], exercise?.Dose ?? "",
            reminder,
            reminder ? "Reminder: time for a stretch" : "Time for a stretch",
            $"{why} Try {name} ({exercise?.Dose ?? "a few times"}).");
    }
}
