using Microsoft.Extensions.Time.Testing;
using PostureSense.Agent.Processing;
using PostureSense.Agent.Sensors;
using PostureSense.Agent.Sensors.Mpu6050;
using PostureSense.Core.Posture;
using PostureSense.FirmwareSim.Sensor;
using PostureSense.FirmwareSim.Wearer;

namespace PostureSense.Agent.Tests.Sensors;

/// <summary>
/// The real driver, sampler and processor on a stepped clock, polled as the agent polls, with
/// faults injected into the simulated chip. Times are seconds since the start.
/// </summary>
public class SensorFaultTests : IDisposable
{
    static readonly DateTimeOffset Start = new(2026, 1, 5, 9, 0, 0, TimeSpan.Zero);
    readonly FakeTimeProvider _clock = new(Start);
    readonly SimulatedMpu6050 _chip;
    readonly SensorSupervisor _sensor;
    readonly List<PostureFrame> _frames = [];
    readonly List<(double At, SensorHealth Health)> _changes = [];

    public SensorFaultTests()
    {
        // Default characteristics: a noisy sensor, as real ones are.
        _chip = new SimulatedMpu6050(new ConstantWearer(25), _clock);
        var processor = new PostureProcessor(50);
        processor.FrameReady += _frames.Add;
        _sensor = new SensorSupervisor(new Mpu6050Driver(_chip), processor.Process, processor.SampleRateHz, _clock);
        _sensor.HealthChanged += h => _changes.Add((Now, h));
        _sensor.Start();
    }

    double Now => (_clock.GetUtcNow() - Start).TotalSeconds;

    void RunUntil(double seconds)
    {
        while (Now < seconds - 1e-9)
        {
            _clock.Advance(ImuSampler.PollPeriod);
            _sensor.Poll();
        }
    }

    double FirstTime(SensorHealth health, double after) => _changes.First(c => c.Health == health && c.At >= after).At;

    IEnumerable<double> FrameTimes => _frames.Select(f => (DateTimeOffset.FromUnixTimeMilliseconds(f.Ts) - Start).TotalSeconds);

    /// <summary>Frames are whole real seconds: none starts inside the fault, and they come back after it.</summary>
    void AssertGapThenResumes(double faultFrom, double faultTo, double resumedBy)
    {
        var times = FrameTimes.ToList();
        Assert.Equal(times.Order().Distinct(), times); // in order, no second twice
        Assert.Contains(times, t => t < faultFrom);
        // The frame of the second the fault began in holds the real samples before it.
        Assert.DoesNotContain(times, t => t > faultFrom && t < faultTo);
        var after = times.Where(t => t >= faultTo).ToList();
        Assert.NotEmpty(after);
        Assert.True(after[0] <= resumedBy, $"frames resumed at {after[0]} s, expected by {resumedBy} s");
        // Once back, a frame every second.
        Assert.Equal(Enumerable.Range(0, after.Count).Select(i => after[0] + i), after);
    }

    [Fact]
    public void Bus_errors_report_bus_error_leave_a_gap_and_recover_by_themselves()
    {
        RunUntil(10);
        _chip.InjectFault(new SensorFault.BusErrors());
        RunUntil(20);
        Assert.Equal(SensorHealth.BusError, _sensor.Health);
        Assert.InRange(FirstTime(SensorHealth.BusError, 10), 10, 11);

        _chip.ClearFault();
        RunUntil(30);

        Assert.Equal(SensorHealth.Ok, _sensor.Health);
        Assert.InRange(FirstTime(SensorHealth.Ok, 20), 20, 20 + SensorSupervisor.MaxBackoff.TotalSeconds + 0.5);
        AssertGapThenResumes(10, 20, 27);
    }

    [Fact]
    public void Occasional_bus_errors_cost_some_samples_but_never_invent_a_frame()
    {
        RunUntil(5);
        _chip.InjectFault(new SensorFault.BusErrors(0.02, Seed: 3));
        RunUntil(65);
        _chip.ClearFault();
        RunUntil(75);

        var times = FrameTimes.ToList();
        Assert.Equal(times.Order().Distinct(), times);
        Assert.InRange(times.Count(t => t >= 5 && t < 65), 40, 60); // most seconds still have a frame
        Assert.Equal(SensorHealth.Ok, _sensor.Health);
    }

    [Fact]
    public void Frozen_readings_report_stuck_and_none_of_them_become_frames()
    {
        RunUntil(10);
        _chip.InjectFault(new SensorFault.Stuck());
        RunUntil(20);
        Assert.Equal(SensorHealth.Stuck, _sensor.Health);
        var stuckAt = FirstTime(SensorHealth.Stuck, 10);
        Assert.InRange(stuckAt, 10 + SensorSupervisor.StuckAfter.TotalSeconds, 13);
        Assert.True(_sensor.StuckSamplesDropped >= 9 * 50);

        _chip.ClearFault();
        RunUntil(30);

        Assert.Equal(SensorHealth.Ok, _sensor.Health);
        Assert.InRange(FirstTime(SensorHealth.Ok, 20), 20, 21);
        // The frozen samples held back before stuck was declared were dropped too.
        AssertGapThenResumes(10, 20, 21);
    }

    [Fact]
    public void A_poll_late_enough_to_overflow_the_fifo_loses_those_samples_but_is_not_taken_for_a_frozen_chip()
    {
        RunUntil(10);
        // A busy machine (or the demo's fast clock) polls 3 s late: the FIFO held only 1.7 s.
        _clock.Advance(TimeSpan.FromSeconds(3));
        _sensor.Poll();
        RunUntil(20);

        Assert.Equal(1, _sensor.Overflows);
        Assert.Empty(_changes); // never reported stuck
        Assert.Equal(0, _sensor.Reinitializations);
        AssertGapThenResumes(10, 13, 14);
    }

    [Fact]
    public void An_unplugged_sensor_reports_bus_error_and_is_reinitialised_when_plugged_back()
    {
        RunUntil(10);
        _chip.InjectFault(new SensorFault.Unplugged());
        RunUntil(20);
        Assert.Equal(SensorHealth.BusError, _sensor.Health);
        Assert.InRange(FirstTime(SensorHealth.BusError, 10), 10, 11);

        _chip.ClearFault(); // back power-cycled: asleep, FIFO off
        RunUntil(30);

        Assert.Equal(SensorHealth.Ok, _sensor.Health);
        Assert.False(_chip.IsAsleep);
        Assert.True(_sensor.Reinitializations >= 1);
        AssertGapThenResumes(10, 20, 27);
    }

    [Fact]
    public void A_replug_between_two_polls_is_seen_as_a_reset_and_reinitialised()
    {
        RunUntil(10);
        _chip.InjectFault(new SensorFault.Unplugged());
        _clock.Advance(TimeSpan.FromMilliseconds(100));
        _chip.ClearFault();
        RunUntil(20);

        Assert.Empty(_changes); // no transfer ever failed
        Assert.Equal(1, _sensor.Reinitializations);
        AssertGapThenResumes(10, 11, 12);
    }

    [Fact]
    public void Another_chip_after_a_replug_reports_wrong_chip_and_is_retried()
    {
        RunUntil(10);
        _chip.InjectFault(new SensorFault.Unplugged());
        RunUntil(15);
        _chip.InjectFault(new SensorFault.WrongChip(0x70)); // plugged back: another chip answers
        RunUntil(25);
        Assert.Equal(SensorHealth.WrongChip, _sensor.Health);
        Assert.InRange(FirstTime(SensorHealth.WrongChip, 15), 15, 15 + SensorSupervisor.MaxBackoff.TotalSeconds + 0.5);

        _chip.ClearFault();
        RunUntil(35);

        Assert.Equal(SensorHealth.Ok, _sensor.Health);
        AssertGapThenResumes(10, 25, 31);
    }

    [Fact]
    public void The_wrong_chip_at_start_is_an_error_not_a_wait()
    {
        var chip = new SimulatedMpu6050(new ConstantWearer(0), _clock);
        chip.InjectFault(new SensorFault.WrongChip(0x98));
        var sensor = new SensorSupervisor(new Mpu6050Driver(chip), new PostureProcessor(50).Process, 50, _clock);

        var error = Assert.Throws<WrongChipException>(sensor.Start);
        Assert.Equal(0x98, error.WhoAmI);
    }

    [Fact]
    public void Health_has_the_status_field_values()
    {
        Assert.Equal(["ok", "bus-error", "stuck", "wrong-chip"], Enum.GetValues<SensorHealth>().Select(h => h.ToWire()));
    }

    public void Dispose()
    {
        _sensor.Dispose();
        _chip.Dispose();
        GC.SuppressFinalize(this);
    }
}
