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

    public static string For(string deviceId, string suffix) => Root + deviceId + "/" + suffix;

    /// <summary>A subscription filter for one suffix across all devices, e.g. <c>posturesense/v1/+/telemetry</c>.</summary>
    public static string AllDevices(string suffix) => Root + "+/" + suffix;

    /// <summary>Splits a v1 topic into its device id and suffix; false for anything else.</summary>
    public static bool TryParse(string topic, out string deviceId, out string suffix)
    {
        deviceId = suffix = "";
        if (!topic.StartsWith(Root, StringComparison.Ordinal)) return false;
        var rest = topic.AsSpan(Root.Length);
        var slash = rest.IndexOf('/');
        if (slash <= 0 || rest[(slash + 1)..].Contains('/')) return false;
        var id = rest[..slash].ToString();
        if (!DeviceId.IsValid(id)) return false;
        deviceId = id;
        suffix = rest[(slash + 1)..].ToString();
        return suffix.Length > 0;
    }
}
