using PostureSense.Core.Contract;
using PostureSense.Core.History;
using PostureSense.Core.Posture;

namespace PostureSense.Storage.History;

/// <summary>A wearer's day: the summary, a per-minute timeline, and the prompts with their acks.</summary>
public sealed record DayReport(
    DeviceId DeviceId,
    LocalDay Day,
    DaySummary Summary,
    IReadOnlyList<MinutePoint> Timeline,
    IReadOnlyList<PromptRecord> Prompts,
    IReadOnlyList<AckRecord> Acks)
{
    /// <summary>The newest ack per command is what became of it.</summary>
    public static Dictionary<string, string> Outcomes(IEnumerable<AckRecord> acks) =>
        acks.GroupBy(a => a.CommandId).ToDictionary(g => g.Key, g => g.MaxBy(a => a.Ts)!.Status);
}

/// <summary>One minute of frames, downsampled for charts.</summary>
/// <param name="Ts">Start of the minute, Unix ms.</param>
/// <param name="Motion">Mean motion, g.</param>
/// <param name="Steps">Steps in the minute.</param>
/// <param name="Frames">Seconds of data in the minute (60 when worn throughout).</param>
public sealed record MinutePoint(long Ts, double MeanPitch, double MaxPitch, double Motion, int Steps, int Frames)
{
    /// <summary>Frames in time order, one point per minute that has data.</summary>
    public static IReadOnlyList<MinutePoint> Downsample(IReadOnlyList<PostureFrame> frames)
    {
        var points = new List<MinutePoint>();
        var i = 0;
        while (i < frames.Count)
        {
            var minute = frames[i].Ts - Modulo(frames[i].Ts, 60_000);
            double pitchSum = 0, maxPitch = double.MinValue, motionSum = 0;
            int steps = 0, count = 0;
            for (; i < frames.Count && frames[i].Ts < minute + 60_000; i++, count++)
            {
                var f = frames[i];
                pitchSum += f.Pitch;
                maxPitch = Math.Max(maxPitch, f.Pitch);
                motionSum += f.Motion;
                steps += f.Steps;
            }
            points.Add(new MinutePoint(minute, Math.Round(pitchSum / count, 2), maxPitch, Math.Round(motionSum / count, 4), steps, count));
        }
        return points;
    }

    static long Modulo(long value, long by) => ((value % by) + by) % by;
}
