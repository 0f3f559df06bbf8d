using PostureSense.Agent.Sensors.Mpu6050;
using PostureSense.Core.Imu;

namespace PostureSense.Agent.AccelCalibration;

/// <summary>
/// The one-time six-face calibration at a terminal: for each face the person rests the board on
/// it and presses Enter; a few seconds of samples are averaged, and a face that moved or is not
/// the one asked for is refused and asked for again. The fit itself is <see cref="AccelCalibrationFit"/>.
/// </summary>
/// <param name="sleep">Waits between two samples (the sensor's sample period).</param>
public sealed class AccelCalibrationProcedure(Mpu6050Driver driver, TextReader input, TextWriter output, Action<TimeSpan> sleep)
{
    public const int SampleRateHz = 50;
    /// <summary>How long each face is sampled.</summary>
    public TimeSpan FaceDuration { get; init; } = TimeSpan.FromSeconds(3);
    /// <summary>Tries per face before the calibration is given up.</summary>
    public int TriesPerFace { get; init; } = 3;
    /// <summary>Called when Enter was pressed for a face, before its samples are taken (a simulated board is put on it here).</summary>
    public Action<AccelFace>? Sampling { get; init; }

    /// <summary>The board's correction; null when the input ended or a face kept being refused (said on the output).</summary>
    public AccelCorrection? Run()
    {
        driver.Initialize(sampleRateHz: SampleRateHz);
        var readings = new List<FaceReading>();
        var number = 0;
        foreach (var face in AccelFaces.All)
        {
            number++;
            if (Face(face, number) is not { } reading) return null;
            readings.Add(reading);
        }
        return AccelCalibrationFit.Fit(readings);
    }

    FaceReading? Face(AccelFace face, int number)
    {
        for (var attempt = 1; attempt <= TriesPerFace; attempt++)
        {
            output.WriteLine($"Face {number} of 6: rest the board on a level surface with its {face.Instruction()}, let go, then press Enter.");
            if (input.ReadLine() is null)
            {
                output.WriteLine("Input ended; calibration abandoned, nothing saved.");
                return null;
            }
            Sampling?.Invoke(face);
            var reading = new FaceReading(face);
            var samples = Math.Max(10, (int)Math.Round(FaceDuration.TotalSeconds * SampleRateHz));
            var period = TimeSpan.FromSeconds(1.0 / SampleRateHz);
            for (var i = 0; i < samples; i++)
            {
                sleep(period);
                reading.Add(driver.ReadSample().AccelG);
            }
            if (reading.Check() is not { } problem)
            {
                var m = reading.Mean;
                output.WriteLine($"  ok: ({m.X:+0.000;-0.000}, {m.Y:+0.000;-0.000}, {m.Z:+0.000;-0.000}) g");
                return reading;
            }
            output.WriteLine($"  refused: {problem}.");
        }
        output.WriteLine($"The face with its {face.Instruction()} was refused {TriesPerFace} times; calibration abandoned, nothing saved.");
        return null;
    }
}
