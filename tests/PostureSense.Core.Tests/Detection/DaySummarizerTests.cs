using PostureSense.Core.Contract;
using PostureSense.Core.Coaching;
using PostureSense.Core.Exercises;
using PostureSense.Core.History;
using PostureSense.Core.Posture;

namespace PostureSense.Core.Tests.Detection;

public class DaySummarizerTests
{
    [Fact]
    public void A_day_is_summarised_from_the_same_rules_that_coach_live()
    {
        // 10 min upright, 8 min hunched, 40 min more sitting upright, 5 min walk.
        var frames = new List<PostureFrame>().Then(600, 5).Then(480, 30).Then(2400, 5).Walk(300);
        var prompts = new List<PromptRecord>
        {
            new(DeviceId.Parse("desk"), "c-1", Frames.Start + 900_000, PromptReason.Hunch, "cat-cow", "double", Frames.Start + 600_000),
            new(DeviceId.Parse("desk"), "c-2", Frames.Start + 1_800_000, PromptReason.Sitting, "superman", "long", Frames.Start),
            new(DeviceId.Parse("desk"), "c-3", Frames.Start + 2_800_000, PromptReason.Hunch, "thread-the-needle", "double", Frames.Start),
        };
        var acks = new List<AckRecord>
        {
            new(DeviceId.Parse("desk"), "c-1", "received", Frames.Start + 900_100),
            new(DeviceId.Parse("desk"), "c-1", "done", Frames.Start + 1_000_000),
            new(DeviceId.Parse("desk"), "c-2", "received", Frames.Start + 1_800_100),
            new(DeviceId.Parse("desk"), "c-2", "dismissed", Frames.Start + 1_900_000),
        };

        var summary = DaySummarizer.Summarize(new DateOnly(2026, 11, 24), frames, prompts, acks, CoachingSettings.Default);

        Assert.Equal(63, summary.WornMinutes);
        Assert.Equal((600 + 2400 + 300) / 3780.0, summary.UprightShare!.Value, 6);
        Assert.Equal(8, summary.HunchedMinutes);
        var hunch = Assert.Single(summary.HunchEpisodes);
        Assert.Equal(TimeSpan.FromMinutes(8), hunch.Duration);
        Assert.Equal(TimeSpan.FromMinutes(8), summary.LongestHunch);
        Assert.Equal(TimeSpan.FromMinutes(58), Assert.Single(summary.SittingBouts).Duration);
        Assert.Equal((3, 1, 1, 1), (summary.PromptsSent, summary.StretchesDone, summary.StretchesDismissed, summary.PromptsUnanswered));
    }

    [Fact]
    public void An_empty_day_has_no_upright_share()
    {
        var summary = DaySummarizer.Summarize(new DateOnly(2026, 11, 24), [], [], [], CoachingSettings.Default);
        Assert.Null(summary.UprightShare);
        Assert.Equal(TimeSpan.Zero, summary.LongestSittingBout);
    }
}
