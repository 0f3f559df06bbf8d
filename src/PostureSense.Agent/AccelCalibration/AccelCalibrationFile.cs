using System.Numerics;
using System.Text.Json;
using PostureSense.Agent.Persistence;
using PostureSense.Core.Imu;

namespace PostureSense.Agent.AccelCalibration;

/// <summary>
/// The board's accelerometer offset and scale, measured once with <c>--calibrate-accel</c> and
/// kept in the data directory. Unlike the wearer's upright, which the agent simply measures again,
/// a bad file here cannot be redone without the person at the board, so it is an error at start,
/// never quietly ignored. Read with <see cref="JsonDocument"/>: the agent is trimmed.
/// </summary>
public static class AccelCalibrationFile
{
    public static string PathFor(string dataDirectory, Core.Contract.DeviceId deviceId) => Path.Combine(dataDirectory, $"accel-calibration-{deviceId}.json");

    public static void Save(string path, AccelCorrection correction, DateTimeOffset at)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        AtomicFile.Write(path, stream =>
        {
            using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
            json.WriteStartObject();
            JsonVector.Write(json, "offsetG", correction.OffsetG);
            JsonVector.Write(json, "scale", correction.Scale);
            json.WriteNumber("savedAt", at.ToUnixTimeMilliseconds());
            json.WriteEndObject();
        });
    }

    /// <summary>The saved correction; null when the board was never calibrated.</summary>
    /// <exception cref="InvalidDataException">The file cannot be read or holds values no MPU-6050 has; the message names the file and says what to do.</exception>
    public static AccelCorrection? Load(string path)
    {
        if (!File.Exists(path)) return null;
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(path));
            var correction = new AccelCorrection(JsonVector.Read(document.RootElement, "offsetG"), JsonVector.Read(document.RootElement, "scale"));
            return correction.Problem() is { } problem ? throw new InvalidDataException(problem) : correction;
        }
        catch (Exception ex) when (ex is JsonException or InvalidDataException or KeyNotFoundException or InvalidOperationException or FormatException or IOException)
        {
            throw new InvalidDataException(
                $"the accelerometer calibration {path} is not usable ({ex.Message}); run --calibrate-accel again, or delete the file to run uncalibrated", ex);
        }
    }
}
