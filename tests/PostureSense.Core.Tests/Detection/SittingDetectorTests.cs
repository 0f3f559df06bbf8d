using PostureSense.Core.Coaching;
using PostureSense.Core.Detection;
using PostureSense.Core.Exercises;
using PostureSense.Core.Posture;

namespace PostureSense.Core.Tests.Detection;

public class SittingDetectorTests
{
    static (List<PostureRun> Started, List<PostureRun> Closed) Run(List<PostureFrame> frames)
    {
        var monitor = new PostureMonitor(CoachingSettings.Default);
        var started = new List<PostureRun>();
        var closed = new List<PostureRun>();
        foreach (var f in frames) monitor.Observe(f, started, closed);
        monitor.Flush(closed);
        return (started.Where(r => r.Kind == PromptReason.Sitting).ToList(), closed.Where(r => r.Kind == PromptReason.Sitting).ToList());
    }

    [Fact]
    public void Thirty_minutes_without_walking_is_prolonged_sitting()
    {
        var (started, _) = Run(new List<PostureFrame>().Then(45 * 60, pitch: 5).Walk(300));
        Assert.Equal(1800, Frames.SecondsFromStart(Assert.Single(started).DetectedTs!.Value));
    }

    [Fact]
    public void Twenty_nine_minutes_is_not()
    {
        var (started, closed) = Run(new List<PostureFrame>().Then(29 * 60, pitch: 5).Walk(300));
        Assert.Empty(started);
        Assert.Equal(29 * 60, Assert.Single(closed).Duration.TotalSeconds);
    }

    [Fact]
    public void A_walk_to_the_printer_shorter_than_two_minutes_does_not_end_the_bout()
    {
        // One bout from the start; the 90 s of walking are no sitting, so it is met 90 s after the 30 min mark.
        var (started, _) = Run(new List<PostureFrame>().Then(20 * 60, 5).Walk(90).Then(12 * 60, 5));
        var run = Assert.Single(started);
        Assert.Equal(0, Frames.SecondsFromStart(run.StartTs));
        Assert.Equal(1800 + 90, Frames.SecondsFromStart(run.DetectedTs!.Value));
    }

    [Fact]
    public void Walks_too_short_to_reset_still_add_no_sitting_time()
    {
        // 20 min, a 110 s walk, 9 min: 29 min of sitting in 30:50, no episode; a minute more meets it.
        var (started, _) = Run(new List<PostureFrame>().Then(20 * 60, 5).Walk(110).Then(9 * 60, 5).Walk(300));
        Assert.Empty(started);
        var (later, _) = Run(new List<PostureFrame>().Then(20 * 60, 5).Walk(110).Then(11 * 60, 5));
        Assert.Equal(1800 + 110, Frames.SecondsFromStart(Assert.Single(later).DetectedTs!.Value));
    }

    [Fact]
    public void Two_minutes_of_walking_is_a_real_break()
    {
        var (started, closed) = Run(new List<PostureFrame>().Then(20 * 60, 5).Walk(125).Then(20 * 60, 5));
        Assert.Empty(started);
        Assert.Equal(2, closed.Count);
        Assert.Equal(20 * 60, closed[0].Duration.TotalSeconds);
    }

    [Fact]
    public void A_walk_that_stops_at_doors_for_a_few_seconds_is_one_walk_and_resets_sitting()
    {
        // 20 min, then 150 s on foot with two 8 s stops in it (no steps, no motion), then 20 min.
        var frames = new List<PostureFrame>().Then(20 * 60, 5).Walk(50).Then(8, 5).Walk(40).Then(8, 5).Walk(44).Then(20 * 60, 5);
        var (started, closed) = Run(frames);
        Assert.Empty(started);
        Assert.Equal(2, closed.Count);
        Assert.Equal(20 * 60, closed[0].Duration.TotalSeconds);
        // The second bout began when the wearer sat down (as the step window lets go of the walk), not at a door.
        Assert.InRange(Frames.SecondsFromStart(closed[1].StartTs), 20 * 60 + 150, 20 * 60 + 155);
    }

    [Fact]
    public void A_stop_in_a_short_walk_is_walking_time_not_sitting()
    {
        // 20 min, 90 s on foot with an 8 s stop, 11 min: the stop adds nothing, so it is met at 30 min of sitting.
        var (started, _) = Run(new List<PostureFrame>().Then(20 * 60, 5).Walk(41).Then(8, 5).Walk(41).Then(11 * 60, 5));
        var run = Assert.Single(started);
        Assert.Equal(0, Frames.SecondsFromStart(run.StartTs));
        Assert.Equal(1800 + 90, Frames.SecondsFromStart(run.DetectedTs!.Value));
    }

    [Fact]
    public void Sitting_down_after_a_walk_starts_the_bout_at_once_not_after_the_wait_for_a_door_stop()
    {
        // A real break, then a moment's stillness and the motion of sitting down (no steps).
        var frames = new List<PostureFrame>().Walk(150).Then(6, 5).Then(1, 5, motion: 0.06).Then(31 * 60, 5);
        var run = Assert.Single(Run(frames).Started);
        Assert.InRange(Frames.SecondsFromStart(run.StartTs), 150, 155);
        Assert.Equal(1800, Frames.SecondsFromStart(run.DetectedTs!.Value) - Frames.SecondsFromStart(run.StartTs));
    }

    [Fact]
    public void Standing_still_longer_than_a_stop_ends_the_walk()
    {
        // Two 70 s walks with 15 s standing between: two walks, neither a real break.
        var (started, _) = Run(new List<PostureFrame>().Then(20 * 60, 5).Walk(70).Then(15, 5).Walk(70).Then(11 * 60, 5));
        var run = Assert.Single(started);
        Assert.Equal(0, Frames.SecondsFromStart(run.StartTs));
        Assert.Equal(1800 + 140, Frames.SecondsFromStart(run.DetectedTs!.Value));
    }

    [Fact]
    public void Fidgeting_without_steps_counts_as_sitting_unless_it_reaches_the_motion_threshold()
    {
        var fidget = new List<PostureFrame>().Then(31 * 60, pitch: 5, motion: 0.04);
        Assert.Single(Run(fidget).Started);

        var busy = new List<PostureFrame>().Then(31 * 60, pitch: 5, motion: 0.06);
        Assert.Empty(Run(busy).Started);
    }

    [Fact]
    public void Shuffling_a_few_steps_a_minute_is_still_sitting()
    {
        var frames = new List<PostureFrame>();
        for (var minute = 0; minute < 31; minute++) frames.Then(1, 5, steps: 3).Then(59, 5);
        Assert.Single(Run(frames).Started);
    }

    [Fact]
    public void The_episode_is_reported_once_however_long_the_sitting_goes_on()
    {
        var (started, closed) = Run(new List<PostureFrame>().Then(3 * 3600, pitch: 5));
        Assert.Single(started);
        Assert.Equal(3 * 3600, Assert.Single(closed).Duration.TotalSeconds);
    }

    [Fact]
    public void Lying_down_is_not_sitting()
    {
        var (started, _) = Run(new List<PostureFrame>().Then(2 * 3600, pitch: -88));
        Assert.Empty(started);
    }

    [Fact]
    public void Floor_stretches_of_two_minutes_break_a_sitting_bout_like_a_walk()
    {
        // 25 min sitting, 3 min on all fours, 25 min sitting: no bout reaches 30 min.
        var (started, closed) = Run(new List<PostureFrame>().Then(25 * 60, 4).Then(180, 90).Then(25 * 60, 4));
        Assert.Empty(started);
        Assert.Equal([25 * 60.0, 25 * 60.0], closed.Select(c => c.Duration.TotalSeconds));
    }

    [Fact]
    public void A_bend_to_the_floor_does_not_end_a_bout_and_the_criterion_waits_for_the_wearer_to_sit_again()
    {
        // A 20 s bend just before the 30 min mark: the bout goes on and is met on the first seated frame.
        var (started, _) = Run(new List<PostureFrame>().Then(29 * 60 + 50, 4).Then(20, 80).Then(10 * 60, 4));
        Assert.Equal(1810 + 1, Frames.SecondsFromStart(Assert.Single(started).DetectedTs!.Value));
    }
}
