using Microsoft.Extensions.Logging;
using PostureSense.Agent.Persistence;
using PostureSense.Core.Contract;

namespace PostureSense.Agent.Config;

/// <summary>
/// The last good <c>config</c> on disk, exactly as it came over the wire, so the wearer's settings
/// apply from the first second after a restart, with or without a network. Read back through the
/// same validation as a config from the broker.
/// </summary>
public static class ConfigFile
{
    public static string PathFor(string dataDirectory, DeviceId deviceId) => Path.Combine(dataDirectory, $"config-{deviceId}.json");

    public static void Save(string path, DeviceConfig config)
    {
        var payload = WireFormat.Serialize(config);
        AtomicFile.Write(path, stream => stream.Write(payload));
    }

    /// <summary>The saved config; null when there is none, or (with a warning) when it is not valid.</summary>
    /// <param name="now">The device's clock. Its ts is checked against the later of this and when the file was
    /// saved: a Pi that boots without network time may read 1970, and its wearer's settings must still apply.</param>
    public static DeviceConfig? Load(string path, ILogger log, DateTimeOffset now)
    {
        byte[] payload;
        try
        {
            if (!File.Exists(path)) return null;
            payload = File.ReadAllBytes(path);
            var saved = new DateTimeOffset(File.GetLastWriteTimeUtc(path), TimeSpan.Zero);
            if (saved > now) now = saved;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            log.LogWarning("Cannot read the saved config {Path}: {Error}; using the defaults until the broker sends one", path, ex.Message);
            return null;
        }
        var parsed = WireFormat.ParseConfig(payload, now);
        if (!parsed.Ok)
            log.LogWarning("Ignoring the saved config {Path}: {Error}; using the defaults until the broker sends one", path, parsed.Error);
        return parsed.Value;
    }
}
