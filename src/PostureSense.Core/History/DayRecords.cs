using PostureSense.Core.Contract;
using PostureSense.Core.Exercises;

namespace PostureSense.Core.History;

/// <summary>A stretch prompt as stored: what was sent to which device, when, and why.</summary>
public sealed record PromptRecord(
    DeviceId DeviceId, string CommandId, long Ts, PromptReason Reason, string ExerciseId, string Pattern, long EpisodeStartTs);

/// <summary>An ack as stored: what the device said became of a command.</summary>
/// <param name="Ts">When the device said it, on the server's clock: the device's ts with its learned clock offset, so it sits beside its prompt.</param>
/// <param name="Exercise">For a stretch the device watched: the exercise it saw.</param>
/// <param name="Reps">Repetitions the device counted.</param>
/// <param name="HoldsS">Each hold the device timed, in seconds.</param>
public sealed record AckRecord(DeviceId DeviceId, string CommandId, string Status, long Ts,
    string? Exercise = null, int? Reps = null, IReadOnlyList<double>? HoldsS = null)
{
    /// <summary>Holds as stored in a text column or field: invariant numbers, comma separated.</summary>
    public string? HoldsText => HoldsS is null ? null
        : string.Join(',', HoldsS.Select(h => h.ToString("0.##", System.Globalization.CultureInfo.InvariantCulture)));

    /// <summary>Reads <see cref="HoldsText"/> back; null for null or empty.</summary>
    public static IReadOnlyList<double>? ParseHolds(string? text) => string.IsNullOrEmpty(text) ? null
        : [.. text.Split(',').Select(h => double.Parse(h, System.Globalization.CultureInfo.InvariantCulture))];
}
