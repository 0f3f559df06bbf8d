using PostureSense.Core.Posture;

namespace PostureSense.Core.Tests;

/// <summary>Builds frame streams the way a wearer produces them: one frame a second.</summary>
public static class Frames
{
    public static readonly long Start = new DateTimeOffset(2026, 11, 24, 9, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();

    /// <summary>Appends <paramref name="seconds"/> frames after the last one in <paramref name="into"/>.</summary>
    public static List<PostureFrame> Then(this List<PostureFrame> into, int seconds, double pitch, double motion = 0.01, int steps = 0, double roll = 0, double? flexion = null)
    {
        var ts = into.Count == 0 ? Start : into[^1].Ts + 1000;
        for (var i = 0; i < seconds; i++) into.Add(new PostureFrame(ts + i * 1000L, pitch, roll, motion, steps) { Flexion = flexion });
        return into;
    }

    /// <summary>Walking: about two steps a second.</summary>
    public static List<PostureFrame> Walk(this List<PostureFrame> into, int seconds) =>
        into.Then(seconds, pitch: 5, motion: 0.2, steps: 2);

    public static double SecondsFromStart(long ts) => (ts - Start) / 1000.0;
}
