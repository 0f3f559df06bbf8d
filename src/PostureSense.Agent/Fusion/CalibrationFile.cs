using System.Numerics;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using PostureSense.Agent.Persistence;

namespace PostureSense.Agent.Fusion;

/// <summary>
/// The wearer's calibration on disk, so a restart (a power cut, an update) does not ask them to
/// sit still and upright again. Written with <see cref="AtomicFile"/>, so a crash mid-write leaves
/// the previous calibration, never half of one. Read by hand with
/// <see cref="Utf8JsonReader"/>-level APIs: the agent is trimmed, and reflection-based JSON is not trim-safe.
/// The wearer's walking pitch, once learnt (see <see cref="StrapSlipWatch"/>), is kept with the
/// calibration it was learnt against, and dropped when a new calibration is saved.
/// </summary>
public static class CalibrationFile
{
    public static string PathFor(string dataDirectory, Core.Contract.DeviceId deviceId) => Path.Combine(dataDirectory, $"calibration-{deviceId}.json");

    public static void Save(string path, Calibration calibration, DateTimeOffset at, double? walkingPitchDeg = null) => AtomicFile.Write(path, stream =>
    {
        using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        JsonVector.Write(json, "uprightUp", calibration.UprightUp);
        JsonVector.Write(json, "gyroBiasDps", calibration.GyroBiasDps);
        if (walkingPitchDeg is { } walking) json.WriteNumber("walkingPitchDeg", Math.Round(walking, 2));
        json.WriteNumber("savedAt", at.ToUnixTimeMilliseconds());
        json.WriteEndObject();
    });

    /// <summary>
    /// The saved calibration; null when there is none, or (with a warning) when it cannot be
    /// trusted. A walking pitch that cannot be trusted is dropped alone (with a warning): the
    /// upright is still good, and the walks learn the pitch again.
    /// </summary>
    public static SavedCalibration? Load(string path, ILogger log)
    {
        if (!File.Exists(path)) return null;
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(path));
            var up = JsonVector.Read(document.RootElement, "uprightUp");
            var bias = JsonVector.Read(document.RootElement, "gyroBiasDps");
            // A still accelerometer reads about 1 g; anything far off is not an upright worth keeping.
            if (up.Length() is < 0.8f or > 1.2f || bias.Length() > 50)
                throw new InvalidDataException($"implausible values: up {up}, gyro bias {bias}");
            return new SavedCalibration(Calibration.From(up, bias), WalkingPitch(document.RootElement, path, log));
        }
        catch (Exception ex) when (ex is JsonException or InvalidDataException or KeyNotFoundException or InvalidOperationException or FormatException or IOException)
        {
            log.LogWarning("Ignoring the saved calibration {Path}: {Error}; calibrating afresh", path, ex.Message);
            return null;
        }
    }

    static double? WalkingPitch(JsonElement root, string path, ILogger log)
    {
        if (!root.TryGetProperty("walkingPitchDeg", out var value)) return null;
        if (value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var deg) && StrapSlipWatch.IsWalkingPitch(deg))
            return deg;
        log.LogWarning("Ignoring the walking pitch saved in {Path} ({Value}): not a number of degrees within ±{Max}; the next walks learn it again",
            path, value.GetRawText(), StrapSlipWatch.MaxBaselineDeg);
        return null;
    }
}

/// <summary>What <see cref="CalibrationFile"/> keeps: the upright, and the walking pitch learnt against it (null until learnt).</summary>
public sealed record SavedCalibration(Calibration Calibration, double? WalkingPitchDeg);
