using System.CommandLine;

namespace PostureSense.Hosting.Options;

/// <summary>
/// One setting, three spellings: <c>--mqtt-share</c> on the command line, <c>POSTURESENSE_MQTT_SHARE</c>
/// in the environment, <c>MqttShare</c> in the <c>PostureSense</c> section of appsettings.json.
/// </summary>
public static class SettingName
{
    public const string Section = "PostureSense";
    public const string EnvironmentPrefix = "POSTURESENSE_";

    /// <summary>The appsettings key: <c>--mqtt-share</c> is <c>MqttShare</c>.</summary>
    public static string Key(Option option) => Key(option.Name);

    public static string Key(string optionName) =>
        string.Concat(optionName.TrimStart('-').Split('-').Where(part => part.Length > 0).Select(part => char.ToUpperInvariant(part[0]) + part[1..]));

    /// <summary>The environment variable: <c>--mqtt-share</c> is <c>POSTURESENSE_MQTT_SHARE</c>.</summary>
    public static string EnvironmentVariable(Option option) =>
        EnvironmentPrefix + option.Name.TrimStart('-').Replace('-', '_').ToUpperInvariant();

    /// <summary>How an error names a value from appsettings.json.</summary>
    public static string AppSettings(string key) => $"appsettings.json {Section}:{key}";
}
