using PostureSense.Agent.AccelCalibration;
using PostureSense.Agent.Processing;
using PostureSense.Agent.Sensors.Mpu6050;
using PostureSense.Core.Imu;
using PostureSense.FirmwareSim.Sensor;
using PostureSense.FirmwareSim.Wearer;

namespace PostureSense.Eval.Budget;

/// <summary>The pitch error on one set of simulated boards, without or with the six-face calibration.</summary>
/// <param name="Errors">Measured minus true pitch, degrees, a value per board and pose.</param>
public sealed record PitchErrors(string Condition, int Boards, IReadOnlyList<double> Errors)
{
    public double MeanAbs => Errors.Count == 0 ? double.NaN : Errors.Average(Math.Abs);
    public double MaxAbs => Errors.Count == 0 ? double.NaN : Errors.Max(Math.Abs);
}

/// <summary>
/// How much of the pitch error near the hunch threshold comes from the accelerometer's own
/// offset and sensitivity, and how much the six-face calibration takes away. Each simulated board
/// carries errors drawn from its seed within the datasheet's ranges and sits on the back a few
/// degrees off; it runs through the agent's real driver and processor, which calibrate the
/// wearer's upright first, as on a real back. With calibration, the board is first put through
/// the same six-face procedure as <c>--calibrate-accel</c>, off the back.
/// </summary>
public static class PitchBudget
{
    /// <summary>Held postures, pitch and roll in degrees: around the 15° nudge and 20° hunch thresholds, straight and leaning.</summary>
    public static IReadOnlyList<(double Pitch, double Roll)> Poses { get; } =
        [.. new[] { 5.0, 10, 15, 17.5, 20, 22.5, 25, 30 }.SelectMany(p => new[] { (p, 0.0), (p, -10.0), (p, 10.0) })];

    static readonly TimeSpan Upright = TimeSpan.FromSeconds(5);
    static readonly TimeSpan Hold = TimeSpan.FromSeconds(6);
    /// <summary>The end of each hold that is averaged: the gravity filter has settled by then.</summary>
    static readonly TimeSpan Measured = TimeSpan.FromSeconds(2);
    const int SampleRateHz = 50;

    /// <summary>Board <paramref name="seed"/>: the simulator's typical chip, its seeded accelerometer errors, mounted a few degrees off.</summary>
    public static SensorCharacteristics Board(int seed) => new SensorCharacteristics
    {
        Seed = seed,
        MountingPitchDeg = (seed % 5 - 2) * 3,
        MountingRollDeg = (seed % 3 - 1) * 2,
    }.WithSeededAccelErrors();

    public static IReadOnlyList<PitchErrors> Run(int boards = 24)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(boards, 1);
        var seeds = Enumerable.Range(1, boards).ToArray();
        return
        [
            new("uncalibrated", boards, [.. seeds.SelectMany(s => Errors(Board(s), AccelCorrection.Identity))]),
            new("six-face calibrated", boards, [.. seeds.SelectMany(s => Errors(Board(s), SixFace(Board(s))))]),
        ];
    }

    /// <summary>Measured minus true pitch for each pose, on this board with this correction.</summary>
    public static IEnumerable<double> Errors(SensorCharacteristics board, AccelCorrection correction)
    {
        var wearer = new PoseSequence(Upright, Hold, Poses);
        var clock = new ManualClock();
        using var driver = new Mpu6050Driver(new SimulatedMpu6050(wearer, clock, board));
        driver.Initialize(sampleRateHz: SampleRateHz);
        var processor = new PostureProcessor(SampleRateHz) { AccelCorrection = correction };
        var sums = new double[Poses.Count];
        var counts = new int[Poses.Count];
        var start = clock.GetUtcNow();
        processor.TrunkSampled += s =>
        {
            var since = TimeSpan.FromTicks(s.Ticks - start.UtcTicks);
            if (since < Upright) return;
            var index = (int)((since - Upright) / Hold);
            if (index >= Poses.Count || since < wearer.StartOf(index) + Hold - Measured) return;
            sums[index] += s.PitchDeg;
            counts[index]++;
        };
        _ = processor.RequestCalibration();
        var period = TimeSpan.FromSeconds(1.0 / SampleRateHz);
        while (clock.GetUtcNow() - start < wearer.Duration)
        {
            clock.Advance(period);
            processor.Process(driver.ReadSample(), clock.GetUtcNow());
        }
        return Poses.Select((pose, i) => sums[i] / counts[i] - pose.Pitch).ToArray();
    }

    /// <summary>The board's correction from the six-face procedure, the board resting on a table as the person turns it.</summary>
    public static AccelCorrection SixFace(SensorCharacteristics board)
    {
        var resting = new RestingBoard();
        var clock = new ManualClock();
        using var driver = new Mpu6050Driver(new SimulatedMpu6050(resting, clock, board with { MountingPitchDeg = 0, MountingRollDeg = 0, MountingYawDeg = 0 }));
        var procedure = new AccelCalibrationProcedure(driver, new StringReader(string.Concat(Enumerable.Repeat("\n", 6))), TextWriter.Null, clock.Advance)
        {
            Sampling = face => resting.Face = face,
        };
        return procedure.Run() ?? throw new InvalidOperationException("the six-face calibration refused a simulated board at rest");
    }

    /// <summary>Time that moves only when told: the sensor's samples are a function of it.</summary>
    sealed class ManualClock : TimeProvider
    {
        DateTimeOffset _now = new(2026, 1, 5, 8, 0, 0, TimeSpan.Zero);
        public override DateTimeOffset GetUtcNow() => _now;
        public void Advance(TimeSpan by) => _now += by;
    }
}
