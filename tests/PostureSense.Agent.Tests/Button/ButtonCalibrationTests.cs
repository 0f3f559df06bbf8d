using System.Device.Gpio;
using Microsoft.Extensions.Time.Testing;
using PostureSense.Agent.Button;
using PostureSense.Agent.Tests.Support;
using PostureSense.Core.Configuration;
using PostureSense.Core.Device;
using PostureSense.Core.Posture;
using PostureSense.FirmwareSim.Gpio;
using PostureSense.FirmwareSim.Motor;
using PostureSense.FirmwareSim.Sensor;

namespace PostureSense.Agent.Tests.Button;

/// <summary>
/// The wearer calibrated sitting upright, then settled into a new chair at 10°. Holding the
/// button makes that the new upright, with a buzz to start and a double buzz when done.
/// </summary>
public class ButtonCalibrationTests
{
    const int Pin = 17;

    [Fact]
    public async Task Holding_the_button_makes_the_current_posture_upright_and_says_so_by_buzzing()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 1, 5, 9, 0, 0, TimeSpan.Zero));
        var gpio = new SimulatedGpio();
        var motor = new RecordingMotor(clock);
        using var presses = new LongPressDetector(clock);
        using var button = new GpioButton(Pin, presses, clock, new GpioController(gpio));
        var frames = new List<PostureFrame>();
        await using var agent = new PostureAgent(
            new AgentOptions { DeviceId = PostureSense.Core.Contract.DeviceId.Parse("desk-12"), Broker = new MqttBrokerAddress("127.0.0.1", TestBroker.FreePort()) },
            new SimulatedMpu6050(new SettlingWearer(10, 0), clock), motor, clock, button: presses);
        agent.FrameProduced += f => { lock (frames) frames.Add(f); };
        PostureFrame Last() { lock (frames) return frames[^1]; }
        await agent.StartAsync(TestContext.Current.CancellationToken);

        DateTimeOffset pressedAt;
        await using (new ClockPump(clock))
        {
            await Eventually.True(() => { lock (frames) return frames.Count >= 10; }, "ten frames");
            Assert.InRange(Last().Pitch, 9, 11);

            pressedAt = clock.GetUtcNow();
            gpio.Press(Pin);
            await Eventually.True(() => motor.Vibrations.Count >= 1, "the buzz that starts the calibration");
            gpio.Release(Pin);
            await Eventually.True(() => motor.Vibrations.Count >= 2, "the double buzz when it is done");
            var done = motor.Vibrations[1].At;
            await Eventually.True(() => Last().Ts > done.AddSeconds(2).ToUnixTimeMilliseconds(), "frames after the calibration");
        }

        Assert.Equal([VibrationPattern.Short, VibrationPattern.Double], motor.Vibrations.Select(v => v.Pattern));
        Assert.InRange((motor.Vibrations[0].At - pressedAt).TotalSeconds, 2, 3.5); // the hold, plus the pump running ahead of a busy machine
        Assert.InRange(Last().Pitch, -1.5, 1.5);
    }
}
