namespace PostureSense.Core.Contract;

/// <summary>The MQTT topics of wire contract v1: <c>posturesense/v1/{deviceId}/{suffix}</c>.</summary>
public static class Topics
{
    public const string Root = "posturesense/v1/";
    public const string Telemetry = "telemetry";
    public const string Status = "status";
    public const string Command = "cmd";
    public const string Ack = "ack";
    public const string Config = "config";

    public static string For(DeviceId deviceId, string suffix) => Root + deviceId.Value + "/" + suffix;

    /// <summary>A subscription filter for one suffix across all devices, e.g. <c>posturesense/v1/+/telemetry</c>.</summary>
    public static string AllDevices(string suffix) => Root + "+/" + suffix;

    /// <summary>Splits a v1 topic into its device id and suffix; false for anything else.</summary>
    public static bool TryParse(string topic, out DeviceId deviceId, out string suffix)
    {
        deviceId = default;
        suffix = "";
        if (!topic.StartsWith(Root, StringComparison.Ordinal)) return false;
        var rest = topic.AsSpan(Root.Length);
        var slash = rest.IndexOf('/');
        if (slash <= 0 || rest[(slash + 1)..].Contains('/')) return false;
        if (!DeviceId.TryParse(rest[..slash].ToString(), out var id)) return false;
        deviceId = id;
        suffix = rest[(slash + 1)..].ToString();
        return suffix.Length > 0;
    }
}
