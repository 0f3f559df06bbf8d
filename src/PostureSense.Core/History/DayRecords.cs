using PostureSense.Core.Exercises;

namespace PostureSense.Core.History;

/// <summary>A stretch prompt as stored: what was sent to which device, when, and why.</summary>
public sealed record PromptRecord(
    string DeviceId, string CommandId, long Ts, PromptReason Reason, string ExerciseId, string Pattern, long EpisodeStartTs);

/// <summary>An ack as stored: what the device said became of a command.</summary>
public sealed record AckRecord(string DeviceId, string CommandId, string Status, long Ts);
