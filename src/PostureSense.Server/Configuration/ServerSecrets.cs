using PostureSense.Hosting.Options;
using PostureSense.Storage;

namespace PostureSense.Server.Configuration;

/// <summary>
/// The broker and store passwords given apart from their URLs: from the environment
/// (<c>POSTURESENSE_MQTT_PASSWORD</c>, <c>POSTURESENSE_STORE_PASSWORD</c>) or a file (<c>--mqtt-password-file</c>,
/// <c>--store-password-file</c>, as docker secrets are mounted), never from the command line, where
/// <c>ps</c> and <c>docker inspect</c> show it.
/// </summary>
static class ServerSecrets
{
    public static ServerOptions Apply(ServerOptions options, ServerSettings settings, Func<string, string> source, OptionProblems problems)
    {
        if (Read(settings.MqttPassword, "MqttPassword", settings.MqttPasswordFile, "MqttPasswordFile", source, problems) is var (mqttPassword, mqttFrom))
        {
            if (options.Mqtt is not { } broker)
            {
                // A --mqtt that did not parse is a problem of its own already.
                if (settings.Mqtt is null) problems.Add($"{mqttFrom} needs an external broker (--mqtt mqtt://USER@host:port)");
            }
            else if (broker.UserName is null)
                problems.Add($"{mqttFrom} needs the user in {source("Mqtt")} (mqtt://USER@host:port)");
            else if (broker.Password is not null)
                problems.Add($"{source("Mqtt")} has a password already; give it once, in {mqttFrom}");
            else
                options = options with { Mqtt = broker with { Password = mqttPassword } };
        }

        if (Read(settings.StorePassword, "StorePassword", settings.StorePasswordFile, "StorePasswordFile", source, problems) is var (storePassword, storeFrom))
        {
            if (settings.Store is not null && !Parses(settings.Store))
            {
                // The --store given did not parse: a problem of its own already.
            }
            else if (options.Store.Influx is not { Api: Storage.Influx.InfluxApi.V1 } influx)
                problems.Add($"{storeFrom} needs an InfluxDB 1.x store with a user (--store influxdb://USER@host:port/DATABASE)");
            else if (influx.UserName is null)
                problems.Add($"{storeFrom} needs the user in {source("Store")} (influxdb://USER@host:port/DATABASE)");
            else if (influx.Password is not null)
                problems.Add($"{source("Store")} has a password already; give it once, in {storeFrom}");
            else
                options = options with { Store = StoreLocation.ForInflux(influx with { Password = storePassword }) };
        }
        return options;
    }

    static bool Parses(string store)
    {
        try
        {
            StoreLocation.Parse(store);
            return true;
        }
        catch (Core.Configuration.OptionsException)
        {
            return false;
        }
    }

    /// <summary>The password and where it came from; null when neither the value nor the file is set.</summary>
    static (string Password, string From)? Read(string? value, string valueKey, string? file, string fileKey, Func<string, string> source,
        OptionProblems problems)
    {
        var valueFrom = source(valueKey);
        if (value is not null && valueFrom.StartsWith("--", StringComparison.Ordinal))
        {
            problems.Add($"{valueFrom} would show the password in the process list; set {SettingName.EnvironmentPrefix}" +
                         $"{valueFrom[2..].Replace('-', '_').ToUpperInvariant()} or give {valueFrom}-file instead");
            return null;
        }
        if (value is not null && file is not null)
        {
            problems.Add($"{valueFrom} and {source(fileKey)} both give the password; give one");
            return null;
        }
        if (value is not null) return (value, valueFrom);
        if (file is null) return null;

        var fileFrom = source(fileKey);
        string text;
        try
        {
            text = File.ReadAllText(file);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            problems.Add($"{fileFrom} '{file}' cannot be read: {ex.Message}");
            return null;
        }
        // Editors and `echo` end the file with a newline that is no part of the password.
        var password = text.TrimEnd('\r', '\n');
        if (password.Length == 0)
        {
            problems.Add($"{fileFrom} '{file}' is empty");
            return null;
        }
        return (password, $"{fileFrom} '{file}'");
    }
}
