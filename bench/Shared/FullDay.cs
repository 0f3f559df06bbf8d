using PostureSense.Core.Contract;
using PostureSense.Core.Exercises;
using PostureSense.Core.History;
using PostureSense.Core.Posture;
using PostureSense.Server.History;
using PostureSense.Storage;
using PostureSense.Storage.History;

namespace PostureSense.Bench;

/// <summary>
/// A whole day worn, the heaviest Today there is: 86,400 frames (twelve hunched minutes and a
/// three-minute walk every hour) and a prompt an hour, each answered Done.
/// </summary>
public static class FullDay
{
    public static async Task WriteAsync(IPostureStore store, DeviceId deviceId, LocalDay day, CancellationToken cancellationToken = default)
    {
        var frames = new List<PostureFrame>(86_400);
        for (var ts = day.FromTs; ts < day.ToTs; ts += 1000)
        {
            var minute = (ts - day.FromTs) / 60_000;
            var pitch = minute % 60 < 12 ? 27 + minute % 5 : 5 + minute % 7;
            var walking = minute % 60 is 40 or 41 or 42;
            frames.Add(new PostureFrame(ts, pitch, -1.2, walking ? 0.2 : 0.01, walking ? 2 : 0));
        }
        foreach (var chunk in frames.Chunk(5000)) await store.WriteFramesAsync(deviceId, chunk, cancellationToken);
        for (var hour = 0; hour < 24; hour++)
        {
            var at = day.FromTs + hour * 3_600_000L + 6 * 60_000;
            await store.WritePromptAsync(new PromptRecord(deviceId, $"c-{hour:x2}", at, PromptReason.Hunch, "cat-cow", "double", at - 360_000),
                cancellationToken);
            await store.WriteAckAsync(new AckRecord(deviceId, $"c-{hour:x2}", "done", at + 90_000), cancellationToken);
        }
    }
}
