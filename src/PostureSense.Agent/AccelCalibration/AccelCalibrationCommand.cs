using System.Device.I2c;
using PostureSense.Agent.Hosting;
using PostureSense.Agent.Sensors.Mpu6050;
using PostureSense.Core.Imu;

namespace PostureSense.Agent.AccelCalibration;

/// <summary>What <c>--calibrate-accel</c> does in either agent program: runs the procedure and saves its result.</summary>
public static class AccelCalibrationCommand
{
    /// <returns>The program's exit code: 0 saved, <see cref="AgentProgram.Failed"/> not.</returns>
    public static int Run(AgentCommandLine settings, I2cDevice sensor, TextReader input, TextWriter output, Action<TimeSpan> sleep,
        TimeProvider clock, Action<AccelFace>? sampling = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var path = AccelCalibrationFile.PathFor(settings.DataDirectory, settings.DeviceId);
        using var driver = new Mpu6050Driver(sensor);
        output.WriteLine("Accelerometer calibration: the board rests on each of its 6 faces in turn, still, for a few seconds each.");
        AccelCorrection? correction;
        try
        {
            correction = new AccelCalibrationProcedure(driver, input, output, sleep) { Sampling = sampling }.Run();
        }
        catch (Exception ex) when (ex is IOException or ArgumentException)
        {
            output.WriteLine($"Calibration failed: {ex.Message}");
            return AgentProgram.Failed;
        }
        if (correction is not { } c) return AgentProgram.Failed;
        AccelCalibrationFile.Save(path, c, clock.GetUtcNow());
        output.WriteLine($"Saved to {path}: offset ({c.OffsetG.X * 1000:+0;-0}, {c.OffsetG.Y * 1000:+0;-0}, {c.OffsetG.Z * 1000:+0;-0}) mg, " +
                         $"scale ({c.Scale.X:0.000}, {c.Scale.Y:0.000}, {c.Scale.Z:0.000}). The agent applies it from its next start.");
        return 0;
    }
}
