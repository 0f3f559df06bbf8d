using PostureSense.FirmwareSim.Scenarios;
using PostureSense.FirmwareSim.Sensor;
using PostureSense.FirmwareSim.Wearer;

namespace PostureSense.FirmwareSim.Tests;

public class WearerTests
{
    static double MotionRms(ScenarioWearer wearer, TimeSpan from, TimeSpan length)
    {
        var sum = 0.0;
        var n = 0;
        for (var t = from; t < from + length; t += TimeSpan.FromMilliseconds(20), n++)
            sum += wearer.At(t).LinearAccelG.LengthSquared();
        return Math.Sqrt(sum / n);
    }

    [Fact]
    public void Walking_moves_like_a_walk_and_sitting_is_still()
    {
        var wearer = new ScenarioWearer(TestScenario.Parse("""
            { "activity": "walk", "minutes": 2, "cadence": 110 },
            { "activity": "sit", "minutes": 2, "pitch": 5 }
            """));

        var walking = MotionRms(wearer, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(60));
        var sitting = MotionRms(wearer, TimeSpan.FromMinutes(2.5), TimeSpan.FromSeconds(60));
        Assert.InRange(walking, 0.15, 0.3);
        Assert.InRange(sitting, 0.0, 0.02);
        Assert.True(wearer.At(TimeSpan.FromSeconds(30)).Walking);
        Assert.False(wearer.At(TimeSpan.FromMinutes(3)).Walking);
    }

    [Fact]
    public void The_sensor_sees_a_vertical_bounce_at_the_step_cadence()
    {
        // 120 steps/min = 2 Hz. Upright, world vertical is the sensor's X axis.
        var s = new SensorHarness(new ScenarioWearer(TestScenario.Parse("""{ "activity": "walk", "minutes": 5, "cadence": 120 }""")), new SensorCharacteristics());
        s.StartFifo50Hz();
        var x = new List<double>();
        for (var i = 0; i < 50; i++) // 10 s
        {
            s.Clock.Advance(TimeSpan.FromMilliseconds(200));
            x.AddRange(SensorHarness.Samples(s.DrainFifo()).Select(v => v[0] / 16384.0));
        }

        double Amplitude(double hz)
        {
            double re = 0, im = 0;
            for (var i = 0; i < x.Count; i++)
            {
                re += x[i] * Math.Cos(2 * Math.PI * hz * i / 50);
                im += x[i] * Math.Sin(2 * Math.PI * hz * i / 50);
            }
            return 2 * Math.Sqrt(re * re + im * im) / x.Count;
        }

        Assert.Equal(500, x.Count);
        Assert.InRange(Amplitude(2.0), 0.25, 0.35);
        Assert.True(Amplitude(2.0) > 5 * Amplitude(1.3));
        Assert.True(Amplitude(2.0) > 5 * Amplitude(3.1));
    }

    [Fact]
    public void A_ramp_eases_from_the_previous_posture()
    {
        var wearer = new ScenarioWearer(TestScenario.Parse("""
            { "activity": "sit", "minutes": 1, "pitch": 0 },
            { "activity": "sit", "minutes": 4, "pitch": 30, "rampSeconds": 120 }
            """));
        Assert.InRange(wearer.At(TimeSpan.FromSeconds(55)).PitchDeg, -1.5, 1.5);
        Assert.InRange(wearer.At(TimeSpan.FromSeconds(120)).PitchDeg, 13.5, 16.5); // halfway
        Assert.InRange(wearer.At(TimeSpan.FromSeconds(200)).PitchDeg, 28.5, 31.5);
        Assert.Equal("upright", wearer.At(TimeSpan.FromSeconds(10)).Label);
        Assert.Equal("hunch", wearer.At(TimeSpan.FromMinutes(3)).Label);
    }

    [Fact]
    public void A_seed_makes_runs_identical_and_another_seed_differs()
    {
        var scenario = Scenario.Load("demo-workday");
        byte[] Run(int sensorSeed)
        {
            var s = new SensorHarness(new ScenarioWearer(scenario), new SensorCharacteristics { Seed = sensorSeed });
            s.StartFifo50Hz();
            s.Clock.Advance(TimeSpan.FromMinutes(33.5)); // into the walk
            return s.DrainFifo();
        }

        Assert.Equal(Run(1), Run(1));
        Assert.NotEqual(Run(1), Run(2));
    }

    [Fact]
    public void For_scenario_starts_the_wearer_at_construction_time()
    {
        var harness = new SensorHarness(new ConstantWearer(0));
        harness.Clock.Advance(TimeSpan.FromHours(5));
        var device = SimulatedMpu6050.ForScenario(Scenario.Load("gradual-slouch"), harness.Clock, SensorCharacteristics.Ideal);
        device.Write([0x6B, 0x01]);
        harness.Clock.Advance(TimeSpan.FromMinutes(12)); // hunched at 32°
        var buffer = new byte[6];
        device.WriteRead([0x3B], buffer);
        var d = SensorHarness.ToShorts(buffer);
        Assert.InRange(Core.Posture.TrunkTilt.FromUp(new(d[0], d[1], d[2])).PitchDeg, 30.5, 33.5);
    }
}
