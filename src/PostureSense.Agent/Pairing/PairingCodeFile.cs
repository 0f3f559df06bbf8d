using PostureSense.Agent.Persistence;
using PostureSense.Core.Device;

namespace PostureSense.Agent.Pairing;

/// <summary>
/// The device's pairing code (<see cref="PairingCode"/>), made on its first start and kept beside
/// its outbox, so that it stays the same for the life of the device: the wearer types it to claim
/// the device, and the operator registers it with <c>posturesense device add ID --pairing-code CODE</c>.
/// Readable by the agent's user only.
/// </summary>
public static class PairingCodeFile
{
    public static string PathFor(string dataDirectory, string deviceId) => Path.Combine(dataDirectory, $"pairing-code-{deviceId}.txt");

    /// <summary>The code kept in the data directory, made and saved first when there is none (or it was damaged).</summary>
    public static string LoadOrCreate(string dataDirectory, string deviceId)
    {
        var path = PathFor(dataDirectory, deviceId);
        if (File.Exists(path) && PairingCode.Normalize(File.ReadAllText(path).Trim()) is { } kept) return PairingCode.Format(kept);
        Directory.CreateDirectory(dataDirectory);
        var code = PairingCode.Generate();
        AtomicFile.Write(path, stream =>
        {
            if (!OperatingSystem.IsWindows() && stream is FileStream file)
                File.SetUnixFileMode(file.SafeFileHandle, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            stream.Write(System.Text.Encoding.ASCII.GetBytes(code + "\n"));
        });
        return code;
    }
}
