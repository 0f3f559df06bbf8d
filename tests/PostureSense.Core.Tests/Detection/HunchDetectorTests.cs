using PostureSense.Core.Coaching;
using PostureSense.Core.Detection;
using PostureSense.Core.Posture;

namespace PostureSense.Core.Tests.Detection;

public class HunchDetectorTests
{
    static (List<PostureRun> Started, List<PostureRun> Closed) Run(List<PostureFrame> frames, CoachingSettings? settings = null)
    {
        var monitor = new PostureMonitor(settings ?? CoachingSettings.Default);
        var started = new List<PostureRun>();
        var closed = new List<PostureRun>();
        foreach (var f in frames) monitor.Observe(f, started, closed);
        monitor.Flush(closed);
        return (started.Where(r => r.Kind == Exercises.PromptReason.Hunch).ToList(),
                closed.Where(r => r.Kind == Exercises.PromptReason.Hunch).ToList());
    }

    [Fact]
    public void Five_minutes_at_twenty_degrees_is_a_prolonged_hunch_met_at_the_fifth_minute()
    {
        var (started, _) = Run(new List<PostureFrame>().Then(60, pitch: 5).Then(360, pitch: 20));

        var episode = Assert.Single(started);
        Assert.Equal(60, Frames.SecondsFromStart(episode.StartTs));
        Assert.Equal(60 + 300, Frames.SecondsFromStart(episode.DetectedTs!.Value));
    }

    [Fact]
    public void A_hunch_turned_to_a_side_monitor_is_judged_by_its_flexion_not_its_pitch()
    {
        // 23° of flexion twisted 40° reads 18° of pitch and 14.5° of roll.
        var (started, _) = Run(new List<PostureFrame>().Then(60, pitch: 2, flexion: 2).Then(360, pitch: 18, roll: 14.5, flexion: 23));
        Assert.Single(started);
    }

    [Fact]
    public void A_frame_s_flexion_wins_over_its_pitch_both_ways()
    {
        // A forward pitch that the agent knows to be a twisted sideways lean is no hunch.
        var (started, closed) = Run(new List<PostureFrame>().Then(60, pitch: 2, flexion: 2).Then(600, pitch: 24, roll: 20, flexion: 12));
        Assert.Empty(started);
        Assert.Empty(closed);
    }

    [Fact]
    public void Frames_without_flexion_are_judged_by_pitch_as_before()
    {
        var (started, _) = Run(new List<PostureFrame>().Then(60, pitch: 2).Then(360, pitch: 23, roll: 0));
        Assert.Single(started);
    }

    [Theory]
    [InlineData(88, 0)]   // face down on a sofa with a phone
    [InlineData(-85, 0)]  // on the back
    [InlineData(92, 45)]  // on all fours, turned (Thread the Needle)
    [InlineData(10, 88)]  // on the side
    public void Lying_down_or_on_all_fours_is_never_a_hunch(double pitch, double roll)
    {
        var (started, closed) = Run(new List<PostureFrame>().Then(60, 3).Then(40 * 60, pitch, roll: roll));
        Assert.Empty(started);
        Assert.Empty(closed);
    }

    [Fact]
    public void A_steep_slump_at_the_desk_still_is()
    {
        var (started, _) = Run(new List<PostureFrame>().Then(360, pitch: 55));
        Assert.Single(started);
    }

    [Fact]
    public void Bends_to_the_floor_inside_a_hunch_neither_count_nor_reset_it()
    {
        // Hunched, with a 20 s bend to pick something up every 2 min: the bends are no hunch, but
        // shorter than a correction, so the run goes on: 300 hunched seconds are in at 340 s, after two bends.
        var frames = new List<PostureFrame>();
        for (var i = 0; i < 3; i++) frames.Then(100, 28).Then(20, 80);
        frames.Then(200, 28);

        var episode = Assert.Single(Run(frames).Started);
        Assert.Equal(0, Frames.SecondsFromStart(episode.StartTs));
        Assert.Equal(340, Frames.SecondsFromStart(episode.DetectedTs!.Value));
    }

    [Fact]
    public void A_hunch_one_second_short_of_the_hold_is_not_an_episode()
    {
        var (started, closed) = Run(new List<PostureFrame>().Then(299, pitch: 35).Then(120, pitch: 5));
        Assert.Empty(started);
        Assert.False(Assert.Single(closed).IsEpisode);
    }

    [Fact]
    public void Pitch_just_under_the_angle_never_counts()
    {
        var (started, _) = Run(new List<PostureFrame>().Then(900, pitch: 19.9));
        Assert.Empty(started);
    }

    [Fact]
    public void A_correction_under_thirty_seconds_does_not_reset_the_hunch()
    {
        // 3 min hunched, 20 s upright, 3 min hunched: 5 of the last 6 min are hunched at 6:20.
        var (started, closed) = Run(new List<PostureFrame>().Then(180, 30).Then(20, 5).Then(180, 30).Then(60, 5));

        var episode = Assert.Single(started);
        Assert.Equal(0, Frames.SecondsFromStart(episode.StartTs));
        // At 320 s the last 6 min hold 180 + 120 hunched seconds; the 20 s correction did not reset the count.
        Assert.Equal(320, Frames.SecondsFromStart(episode.DetectedTs!.Value));
        var run = Assert.Single(closed);
        Assert.Equal(380, Frames.SecondsFromStart(run.EndTs));
    }

    [Fact]
    public void A_correction_of_thirty_seconds_resets_the_hunch()
    {
        var (started, closed) = Run(new List<PostureFrame>().Then(180, 30).Then(30, 5).Then(180, 30).Then(60, 5));
        Assert.Empty(started);
        Assert.Equal(2, closed.Count);
    }

    [Fact]
    public void Phone_bursts_shorter_than_the_hold_are_never_an_episode()
    {
        var frames = new List<PostureFrame>();
        for (var i = 0; i < 6; i++) frames.Then(170, pitch: 40).Then(45, pitch: 3);
        Assert.Empty(Run(frames).Started);
    }

    [Fact]
    public void Many_short_corrections_that_leave_under_five_hunched_minutes_in_six_are_not_an_episode()
    {
        // 40 s hunched, 25 s upright, repeated: never reset, but only ~62% of any window is hunched.
        var frames = new List<PostureFrame>();
        for (var i = 0; i < 20; i++) frames.Then(40, 30).Then(25, 5);
        Assert.Empty(Run(frames).Started);
    }

    [Fact]
    public void A_gap_in_the_data_as_long_as_a_correction_ends_the_run()
    {
        var frames = new List<PostureFrame>().Then(200, 30);
        var resumed = frames[^1].Ts + 31_000;
        for (var i = 0; i < 200; i++) frames.Add(new PostureFrame(resumed + i * 1000L, 30, 0, 0.01, 0));
        Assert.Empty(Run(frames).Started);
    }

    [Fact]
    public void The_thresholds_come_from_the_wearers_settings()
    {
        var strict = CoachingSettings.Default with { HunchPitchDeg = 10, HunchHold = TimeSpan.FromMinutes(2), HunchWindow = TimeSpan.FromMinutes(3) };
        var (started, _) = Run(new List<PostureFrame>().Then(150, pitch: 12), strict);
        Assert.Equal(120, Frames.SecondsFromStart(Assert.Single(started).DetectedTs!.Value));
    }

    [Fact]
    public void Replayed_frames_are_ignored_so_a_duplicate_batch_does_not_count_twice()
    {
        var frames = new List<PostureFrame>().Then(200, 30);
        var monitor = new PostureMonitor(CoachingSettings.Default);
        foreach (var f in frames) monitor.Observe(f);
        foreach (var f in frames) monitor.Observe(f); // the same batch again
        Assert.Null(monitor.OngoingEpisode(Exercises.PromptReason.Hunch));
        Assert.Equal(200, monitor.Hunch.Current!.Value.Duration.TotalSeconds);
    }
}
