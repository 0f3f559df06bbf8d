using System.Text.RegularExpressions;
using PostureSense.Core.Configuration;

namespace PostureSense.Storage.Influx;

/// <summary>Which write API a server speaks: 1.x <c>/write?db=</c>, or 2.x/3.x <c>/api/v2/write?org=&amp;bucket=</c>.</summary>
public enum InfluxApi
{
    V1,
    V2,
}

/// <summary>
/// An InfluxDB server and where on it the data goes:
/// <c>influxdb://[user:pass@]host:port/DATABASE</c> (1.x, basic auth) or
/// <c>influxdb2://host:port/?org=ORG&amp;bucket=BUCKET&amp;token=TOKEN</c> (2.x/3.x, token auth);
/// <c>influxdbs://</c> and <c>influxdb2s://</c> use https. Reads go through the 1.x-compatible
/// <c>/query</c> with the database (1.x) or bucket (2.x/3.x) as <c>db</c>.
/// </summary>
/// <param name="BaseUrl">http(s)://host:port/</param>
/// <param name="Database">The 1.x database, or the 2.x/3.x bucket.</param>
public sealed partial record InfluxEndpoint(
    InfluxApi Api, Uri BaseUrl, string Database, string? Org = null, string? UserName = null, string? Password = null, string? Token = null)
{
    static readonly string[] RequiredKeys = ["org", "bucket", "token"];

    public const int DefaultPort = 8086;

    public static bool IsInfluxScheme(string scheme) => scheme is "influxdb" or "influxdbs" or "influxdb2" or "influxdb2s";

    /// <summary>The address for logs and status lines: the password and token are never shown.</summary>
    public override string ToString()
    {
        var scheme = (Api == InfluxApi.V1 ? "influxdb" : "influxdb2") + (BaseUrl.Scheme == Uri.UriSchemeHttps ? "s" : "");
        var host = $"{BaseUrl.Host}:{BaseUrl.Port}";
        return Api == InfluxApi.V1
            ? $"{scheme}://{(UserName is null ? "" : Uri.EscapeDataString(UserName) + "@")}{host}/{Uri.EscapeDataString(Database)}"
            : $"{scheme}://{host}/?org={Uri.EscapeDataString(Org ?? "")}&bucket={Uri.EscapeDataString(Database)}&token=***";
    }

    /// <param name="source">Where the value came from, named in the error: the option, variable or setting.</param>
    public static InfluxEndpoint Parse(string value, string source = "--store")
    {
        // The value may carry a password or token: errors quote it with those blanked out.
        var shown = Redact(value);
        OptionsException Bad(string why) => new($"{source} '{shown}' {why}");

        var sep = value.IndexOf("://", StringComparison.Ordinal);
        var scheme = sep > 0 ? value[..sep].ToLowerInvariant() : "";
        if (!IsInfluxScheme(scheme)) throw Bad("is not an influxdb://, influxdbs://, influxdb2:// or influxdb2s:// URL");
        var api = scheme.StartsWith("influxdb2", StringComparison.Ordinal) ? InfluxApi.V2 : InfluxApi.V1;
        var usage = api == InfluxApi.V1
            ? $"use {scheme}://[user:pass@]host:port/DATABASE"
            : $"use {scheme}://host:port/?org=ORG&bucket=BUCKET&token=TOKEN";

        var rest = value[(sep + 3)..];
        if (rest.Contains('#')) throw Bad($"has a fragment; {usage}");
        var authorityEnd = rest.IndexOfAny(['/', '?']);
        var authority = authorityEnd < 0 ? rest : rest[..authorityEnd];
        var tail = authorityEnd < 0 ? "" : rest[authorityEnd..];
        var queryStart = tail.IndexOf('?');
        var path = queryStart < 0 ? tail : tail[..queryStart];
        var query = queryStart < 0 ? "" : tail[(queryStart + 1)..];

        var at = authority.LastIndexOf('@');
        var userInfo = at < 0 ? null : authority[..at];
        var (host, port) = HostAndPort(authority[(at + 1)..], Bad, usage);
        var baseUrl = new Uri($"{(scheme.EndsWith('s') ? "https" : "http")}://{host}:{port}/");

        if (api == InfluxApi.V1)
        {
            var database = path.Length > 1 ? Uri.UnescapeDataString(path[1..]) : "";
            if (database.Length == 0) throw Bad($"has no database; {usage}");
            if (path[1..].Contains('/')) throw Bad($"has a path with more than the database; {usage}");
            if (query.Length > 0) throw Bad($"has the unknown query key '{Uri.UnescapeDataString(query.Split('&')[0].Split('=')[0])}'; {usage}");
            string? user = null, password = null;
            if (userInfo is { Length: > 0 })
            {
                var colon = userInfo.IndexOf(':');
                user = Uri.UnescapeDataString(colon < 0 ? userInfo : userInfo[..colon]);
                password = colon < 0 ? null : Uri.UnescapeDataString(userInfo[(colon + 1)..]);
            }
            return new InfluxEndpoint(api, baseUrl, database, UserName: user, Password: password);
        }

        if (userInfo is not null) throw Bad($"has a user name; give the token as token=; {usage}");
        if (path is not ("" or "/")) throw Bad($"has a path '{path}' (influxdb2 takes the bucket as bucket=); {usage}");
        var keys = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            // Split at the first '=' only: tokens are base64 and may end in '='.
            var eq = pair.IndexOf('=');
            var key = Uri.UnescapeDataString(eq < 0 ? pair : pair[..eq]);
            if (key is not ("org" or "bucket" or "token")) throw Bad($"has the unknown query key '{key}'; {usage}");
            if (!keys.TryAdd(key, eq < 0 ? "" : Uri.UnescapeDataString(pair[(eq + 1)..])))
                throw Bad($"gives {key} twice; {usage}");
        }
        var missing = RequiredKeys.Where(k => !keys.TryGetValue(k, out var v) || v.Length == 0).ToList();
        if (missing.Count > 0) throw Bad($"is missing {string.Join(", ", missing)}; {usage}");
        return new InfluxEndpoint(api, baseUrl, keys["bucket"], Org: keys["org"], Token: keys["token"]);
    }

    static (string Host, int Port) HostAndPort(string hostPort, Func<string, OptionsException> bad, string usage)
    {
        string host, portText;
        if (hostPort.StartsWith('['))
        {
            var close = hostPort.IndexOf(']');
            if (close < 0) throw bad($"has an unclosed IPv6 address; {usage}");
            host = hostPort[..(close + 1)];
            portText = hostPort[(close + 1)..] is [':', .. var p] ? p : hostPort[(close + 1)..] is "" ? "" : throw bad($"has a bad host; {usage}");
        }
        else
        {
            var colon = hostPort.LastIndexOf(':');
            host = colon < 0 ? hostPort : hostPort[..colon];
            portText = colon < 0 ? "" : hostPort[(colon + 1)..];
        }
        if (host.Length == 0) throw bad($"has no host; {usage}");
        if (Uri.CheckHostName(host.Trim('[', ']')) == UriHostNameType.Unknown) throw bad($"has the bad host '{host}'; {usage}");
        if (portText.Length == 0) return (host, DefaultPort);
        if (!int.TryParse(portText, System.Globalization.NumberStyles.None, null, out var port) || port is < 1 or > 65535)
            throw bad($"has the bad port '{portText}'; use 1-65535");
        return (host, port);
    }

    /// <summary>The raw value with any password and token replaced by ***.</summary>
    public static string Redact(string value) => TokenPattern().Replace(PasswordPattern().Replace(value, "$1***@"), "$1***");

    [GeneratedRegex(@"^([^:/?#]+://[^/?#@:]*:)[^/?#]*@")]
    private static partial Regex PasswordPattern();

    [GeneratedRegex(@"([?&]token=)[^&#]*", RegexOptions.IgnoreCase)]
    private static partial Regex TokenPattern();
}
