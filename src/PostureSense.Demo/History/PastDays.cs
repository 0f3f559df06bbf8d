using PostureSense.Core.Coaching;
using PostureSense.Core.Contract;
using PostureSense.Core.Detection;
using PostureSense.Core.Exercises;
using PostureSense.Core.History;
using PostureSense.Core.Posture;
using PostureSense.Storage;

namespace PostureSense.Demo.History;

/// <summary>
/// Plausible past days for the demo's wearer, so History has something to show: workdays of
/// upright spells, hunched stretches, phone checks and walks, with a lunch break off the device;
/// short weekends. The wearer slouches less as the weeks go on, and each day differs (its own
/// seed). Prompts are where the live rules would have sent them, answered mostly "done". Each day
/// is stored in one batch, so two weeks take a second or two.
/// </summary>
public static class PastDays
{
    public static readonly CoachingSettings Rules = CoachingSettings.Default;

    /// <returns>The frames stored.</returns>
    public static async Task<int> SeedAsync(IPostureStore store, DeviceId deviceId, DateOnly today, int days, TimeZoneInfo zone,
        CancellationToken cancellationToken)
    {
        var total = 0;
        for (var back = days; back >= 1; back--)
        {
            var date = today.AddDays(-back);
            var writes = Day(deviceId, date, zone, progress: (days - back) / (double)Math.Max(1, days - 1));
            await store.WriteBatchAsync(writes, cancellationToken);
            total += writes.OfType<FramesWrite>().Sum(w => w.Frames.Count);
        }
        return total;
    }

    /// <param name="progress">0 on the first seeded day, 1 on the last: the wearer improves with it.</param>
    public static List<StoreWrite> Day(DeviceId deviceId, DateOnly date, TimeZoneInfo zone, double progress)
    {
        var random = new Random(date.DayNumber);
        var weekend = date.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday;
        // How readily this wearer slouches today: less as the weeks go by, and some days are worse.
        var slouch = Math.Clamp(0.55 - 0.3 * progress + (random.NextDouble() - 0.5) * 0.25, 0.08, 0.7);
        var breakEvery = TimeSpan.FromMinutes(random.Next(35, 80));

        var frames = new List<PostureFrame>();
        var spans = weekend
            ? new[] { (Start: new TimeOnly(10, 0).AddMinutes(random.Next(0, 60)), Hours: 1.5 + random.NextDouble()) }
            : [(new TimeOnly(8, 30).AddMinutes(random.Next(0, 40)), 3.2 + random.NextDouble() * 0.6),
               (new TimeOnly(13, 0).AddMinutes(random.Next(0, 20)), 3.5 + random.NextDouble() * 1.2)];
        foreach (var (start, hours) in spans)
            Worn(frames, random, LocalTs(date, start, zone), TimeSpan.FromHours(hours), slouch, breakEvery);

        var writes = new List<StoreWrite> { new FramesWrite(deviceId, frames) };
        writes.AddRange(Prompts(deviceId, frames, random));
        return writes;
    }

    /// <summary>One stretch of wearing the device: activities of a few minutes each, one frame a second.</summary>
    static void Worn(List<PostureFrame> frames, Random random, long fromTs, TimeSpan length, double slouch, TimeSpan breakEvery)
    {
        var ts = fromTs;
        var end = fromTs + (long)length.TotalMilliseconds;
        var sinceBreak = TimeSpan.Zero;
        while (ts < end)
        {
            (double Pitch, double Spread, double Motion, int StepsPerMinute, int Minutes) activity;
            if (sinceBreak >= breakEvery)
            {
                activity = (3, 2, 0.22, 100, random.Next(2, 7));
                sinceBreak = TimeSpan.Zero;
            }
            else
            {
                var roll = random.NextDouble();
                activity = roll < slouch ? (26, 4, 0.012, 0, random.Next(3, 14))           // hunched over the keyboard
                    : roll < slouch + 0.1 ? (36, 5, 0.02, 0, random.Next(1, 3))            // a look at the phone
                    : (6, 3, 0.01, 0, random.Next(5, 25));                                  // sitting upright
                sinceBreak += TimeSpan.FromMinutes(activity.Minutes);
            }
            var seconds = activity.Minutes * 60;
            for (var i = 0; i < seconds && ts < end; i++, ts += 1000)
            {
                var steps = activity.StepsPerMinute == 0 ? 0 : random.Next(1, 3);
                frames.Add(new PostureFrame(ts, Math.Round(activity.Pitch + Gaussian(random) * activity.Spread, 1),
                    Math.Round(Gaussian(random) * 2, 1), Math.Round(Math.Max(0, activity.Motion + Gaussian(random) * activity.Motion * 0.3), 4), steps));
            }
        }
    }

    /// <summary>Prompts where the live rules would have sent them (once per episode, 15 min cooldown), and the wearer's answers.</summary>
    static IEnumerable<StoreWrite> Prompts(DeviceId deviceId, List<PostureFrame> frames, Random random)
    {
        var monitor = new PostureMonitor(Rules);
        var started = new List<PostureRun>();
        var picker = new ExercisePicker();
        var lastSent = new Dictionary<PromptReason, long>();
        foreach (var frame in frames) monitor.Observe(frame, started: started);
        foreach (var episode in started.OrderBy(e => e.DetectedTs))
        {
            var at = episode.DetectedTs!.Value;
            if (lastSent.TryGetValue(episode.Kind, out var last) && at - last < Rules.Cooldown.TotalMilliseconds) continue;
            lastSent[episode.Kind] = at;
            var id = $"c-{at:x}{(int)episode.Kind}";
            var pattern = episode.Kind == PromptReason.Hunch ? "double" : "long";
            yield return new PromptWrite(new PromptRecord(deviceId, id, at, episode.Kind, picker.Pick(episode.Kind).Id, pattern, episode.StartTs));
            yield return new AckWrite(new AckRecord(deviceId, id, CommandAck.Statuses.Received, at + 800));
            var answer = random.NextDouble();
            if (answer < 0.15) continue; // never answered
            var status = answer < 0.75 ? CommandAck.Statuses.Done : CommandAck.Statuses.Dismissed;
            yield return new AckWrite(new AckRecord(deviceId, id, status, at + random.Next(60, 300) * 1000L));
        }
    }

    static long LocalTs(DateOnly date, TimeOnly time, TimeZoneInfo zone)
    {
        var local = date.ToDateTime(time);
        while (zone.IsInvalidTime(local)) local = local.AddMinutes(1);
        return new DateTimeOffset(local, zone.GetUtcOffset(local)).ToUnixTimeMilliseconds();
    }

    static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
