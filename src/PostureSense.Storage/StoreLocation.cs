using PostureSense.Core.Configuration;
using PostureSense.Storage.Influx;

namespace PostureSense.Storage;

public enum StoreKind
{
    Sqlite,
    InfluxDb,
}

/// <summary>
/// Where the time series goes, as <c>scheme:rest</c>: <c>sqlite:PATH</c>, or an InfluxDB URL
/// (<c>influxdb://[user:pass@]host:port/DATABASE</c>, <c>influxdb2://host:port/?org=&amp;bucket=&amp;token=</c>,
/// and their TLS forms <c>influxdbs://</c>, <c>influxdb2s://</c>; see <see cref="InfluxEndpoint"/>).
/// </summary>
/// <param name="Target">The SQLite path, or the InfluxDB address without its secrets.</param>
public sealed record StoreLocation(StoreKind Kind, string Target)
{
    const string Supported = "supported: sqlite:PATH, influxdb[s]://[user:pass@]host:port/DATABASE, influxdb2[s]://host:port/?org=ORG&bucket=BUCKET&token=TOKEN";

    public static StoreLocation Default { get; } = new(StoreKind.Sqlite, "posturesense.db");

    /// <summary>The InfluxDB server, with its credentials, when <see cref="Kind"/> is <see cref="StoreKind.InfluxDb"/>.</summary>
    public InfluxEndpoint? Influx { get; init; }

    public static StoreLocation ForInflux(InfluxEndpoint endpoint) => new(StoreKind.InfluxDb, endpoint.ToString()) { Influx = endpoint };

    /// <param name="source">Where the value came from, named in the error: the option, variable or setting.</param>
    public static StoreLocation Parse(string value, string source = "--store")
    {
        var colon = value.IndexOf(':');
        if (colon <= 0)
            throw new OptionsException($"{source} '{value}' has no scheme; use sqlite:PATH or an influxdb:// URL");
        var scheme = value[..colon].ToLowerInvariant();
        var rest = value[(colon + 1)..];
        return scheme switch
        {
            "sqlite" when rest.Trim().Length == 0 => throw new OptionsException($"{source} '{value}' has no file path; use sqlite:PATH"),
            "sqlite" => new StoreLocation(StoreKind.Sqlite, rest),
            _ when InfluxEndpoint.IsInfluxScheme(scheme) => ForInflux(InfluxEndpoint.Parse(value, source)),
            // Redacted: an unknown scheme may still be a URL carrying a password or token.
            _ => throw new OptionsException($"{source} '{InfluxEndpoint.Redact(value)}' has the unknown scheme '{scheme}'; {Supported}"),
        };
    }

    /// <summary>
    /// Where the app database (wearers, their devices and settings) goes unless it is named:
    /// beside a SQLite store, so one folder holds all of a server's data; else the working directory.
    /// </summary>
    public string DefaultAppDatabase => Kind == StoreKind.Sqlite
        ? Path.Combine(Path.GetDirectoryName(Path.GetFullPath(Target)) ?? ".", Path.GetFileNameWithoutExtension(Target) + "-app.db")
        : "posturesense-app.db";

    /// <summary>For logs and status lines: never shows a password or token.</summary>
    public override string ToString() => Kind switch
    {
        StoreKind.Sqlite => "sqlite:" + Target,
        StoreKind.InfluxDb => Influx?.ToString() ?? Target,
        _ => Kind + ":" + Target,
    };
}
