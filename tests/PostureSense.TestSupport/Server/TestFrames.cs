using PostureSense.Core.Contract;
using PostureSense.Core.Posture;

namespace PostureSense.TestSupport.Server;

/// <summary>Frame streams as a wearer produces them: one frame a second.</summary>
public static class TestFrames
{
    /// <summary>A weekday morning, 10:00 UTC: outside the default quiet hours in the fake clock's zone (UTC).</summary>
    public static readonly DateTimeOffset Morning = new(2026, 11, 24, 10, 0, 0, TimeSpan.Zero);

    public static List<PostureFrame> Run(long startTs, int seconds, double pitch, double motion = 0.01, int steps = 0) =>
        Enumerable.Range(0, seconds).Select(i => new PostureFrame(startTs + i * 1000L, pitch, -1.5, motion, steps)).ToList();

    public static List<PostureFrame> Then(this List<PostureFrame> frames, int seconds, double pitch, double motion = 0.01, int steps = 0)
    {
        frames.AddRange(Run(frames[^1].Ts + 1000, seconds, pitch, motion, steps));
        return frames;
    }

    public static byte[] Batch(long seq, IReadOnlyList<PostureFrame> frames) =>
        WireFormat.Serialize(new TelemetryBatch(ContractLimits.Version, seq, frames));

    public static IEnumerable<List<PostureFrame>> Batches(this IReadOnlyList<PostureFrame> frames, int size = 60) =>
        frames.Chunk(size).Select(c => c.ToList());
}
