using PostureSense.Agent.Replay;
using PostureSense.Agent.Processing;
using PostureSense.Core.Contract;
using PostureSense.FirmwareSim.Scenarios;
using PostureSense.FirmwareSim.Sensor;

namespace PostureSense.Agent.Tests.Exercises;

/// <summary>
/// A stretch prompt through the agent's command handling, the simulated wearer performing it in
/// front of a crooked, noisy board, and the acks the device answers with.
/// </summary>
public class StretchVerificationTests
{
    static readonly SensorCharacteristics Crooked = new() { MountingPitchDeg = 12, MountingRollDeg = -5, MountingYawDeg = 4, AccelNoiseG = 0.006, Seed = 4 };

    static Scenario Wearer(string stretch) => Scenario.Parse($$"""
        { "name": "t", "description": "t", "seed": 8, "segments": [
            { "activity": "sit", "seconds": 30, "pitch": 3 }, {{stretch}}, { "activity": "sit", "minutes": 2, "pitch": 3, "rampSeconds": 6 } ],
          "expected": [] }
        """);

    /// <summary>Replays the wearer, sending <paramref name="commands"/> at their offsets (in the batch before); returns the acks.</summary>
    static IReadOnlyList<ReplayAck> Run(Scenario scenario, params (double AtSeconds, DeviceCommand Command)[] commands)
    {
        var options = new ReplayOptions();
        var pending = new Queue<(double AtSeconds, DeviceCommand Command)>(commands.OrderBy(c => c.AtSeconds));
        IEnumerable<DeviceCommand> Server(DateTimeOffset now, IReadOnlyList<Core.Posture.PostureFrame> frames)
        {
            while (pending.TryPeek(out var next) && options.Start.AddSeconds(next.AtSeconds) < now + options.BatchPeriod)
                yield return pending.Dequeue().Command with { Ts = now.ToUnixTimeMilliseconds() };
        }
        return OfflineReplay.Run(c => SimulatedMpu6050.ForScenario(scenario, c, Crooked), scenario.Duration, options with { Server = Server }).Acks;
    }

    static DeviceCommand Stretch(string id, string exercise) => new(1, id, DeviceCommand.Types.Stretch, 0, "hunch", exercise, "double");

    static CommandAck RoundTrip(CommandAck ack)
    {
        var parsed = WireFormat.ParseAck(WireFormat.Serialize(ack), DateTimeOffset.FromUnixTimeMilliseconds(ack.Ts));
        Assert.True(parsed.Ok, parsed.Error);
        return parsed.Value!;
    }

    [Fact]
    public void Cat_cow_done_is_acked_received_then_done_with_the_cycles_counted()
    {
        var acks = Run(Wearer("""{ "activity": "cat-cow", "seconds": 70, "reps": 9 }"""), (30, Stretch("c-1", "cat-cow")));

        Assert.Equal(["received", "done"], acks.Select(a => a.Ack.Status));
        var done = RoundTrip(acks[1].Ack);
        Assert.Equal(("c-1", "cat-cow", 9), (done.Id, done.Exercise, done.Reps));
        Assert.Null(done.HoldsS);
        // Answered once the wearer is back up: after the stretch, within seconds.
        Assert.InRange((acks[1].At - acks[0].At).TotalSeconds, 70, 80);
    }

    [Fact]
    public void Thread_the_needle_holds_are_timed_side_by_side()
    {
        var acks = Run(Wearer("""{ "activity": "thread-the-needle", "seconds": 80, "holdsS": [20, 24] }"""), (30, Stretch("c-2", "thread-the-needle")));

        var done = RoundTrip(acks[^1].Ack);
        Assert.Equal(("done", "thread-the-needle"), (done.Status, done.Exercise));
        Assert.Null(done.Reps);
        Assert.Equal(2, done.HoldsS!.Count);
        Assert.InRange(done.HoldsS[0], 20 - 3, 20 + 3);
        Assert.InRange(done.HoldsS[1], 24 - 3, 24 + 3);
    }

    [Fact]
    public void Superman_lifts_are_counted_with_their_holds()
    {
        var acks = Run(Wearer("""{ "activity": "superman", "seconds": 75, "reps": 7, "holdSeconds": 4 }"""), (30, Stretch("c-3", "superman")));

        var done = RoundTrip(acks[^1].Ack);
        Assert.Equal(("done", 7), (done.Status, done.Reps));
        Assert.All(done.HoldsS!, h => Assert.InRange(h, 3, 5.5));
    }

    [Fact]
    public void Getting_down_without_doing_the_stretch_is_acked_dismissed()
    {
        var acks = Run(Wearer("""{ "activity": "cat-cow", "seconds": 40, "quality": "none" }"""), (30, Stretch("c-4", "cat-cow")));
        var last = RoundTrip(acks[^1].Ack);
        Assert.Equal(("dismissed", "cat-cow", 0), (last.Status, last.Exercise, last.Reps));
    }

    [Fact]
    public void Rows_and_vibrations_are_only_acked_received()
    {
        var scenario = Wearer("""{ "activity": "sit", "minutes": 8, "pitch": 3 }""");
        var acks = Run(scenario, (30, Stretch("c-5", "dumbbell-row")), (60, new DeviceCommand(1, "c-6", "vibrate", 0, Pattern: "short")));
        Assert.Equal([("c-5", "received"), ("c-6", "received")], acks.Select(a => (a.Ack.Id, a.Ack.Status)));
    }

    [Fact]
    public void A_new_prompt_ends_the_stretch_before_it_with_what_was_counted()
    {
        // Cat-Cow for 9 cycles, then a Superman prompt arrives while still on the floor.
        var scenario = Wearer("""{ "activity": "cat-cow", "seconds": 120, "reps": 9 }""");
        var acks = Run(scenario, (30, Stretch("c-7", "cat-cow")), (100, Stretch("c-8", "superman")));

        var first = acks.Last(a => a.Ack.Id == "c-7").Ack;
        Assert.Equal(("done", 9), (first.Status, first.Reps));
        Assert.Equal("dismissed", acks.Last(a => a.Ack.Id == "c-8").Ack.Status);
    }
}
