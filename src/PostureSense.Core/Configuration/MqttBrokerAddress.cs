namespace PostureSense.Core.Configuration;

/// <summary>An external MQTT broker: <c>mqtt://[user:pass@]host:port</c>, or over TLS <c>mqtts://...</c>.</summary>
public sealed record MqttBrokerAddress(string Host, int Port, string? UserName = null, string? Password = null, bool Tls = false)
{
    public const int DefaultPort = 1883;
    public const int DefaultTlsPort = 8883;

    /// <param name="source">Where the value came from, named in the error: the option, variable or setting.</param>
    /// <param name="allowTls">Whether the caller can connect over TLS (<c>mqtts://</c>); otherwise only <c>mqtt://</c> is accepted.</param>
    public static MqttBrokerAddress Parse(string value, string source = "--mqtt", bool allowTls = false)
    {
        var form = allowTls ? "mqtt[s]://[user:pass@]host:port" : "mqtt://[user:pass@]host:port";
        var shown = WithoutPassword(value);
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || !(uri.Scheme == "mqtt" || (allowTls && uri.Scheme == "mqtts")))
            throw new OptionsException($"{source} '{shown}' is not an {(allowTls ? "mqtt:// or mqtts://" : "mqtt://")} URL; use {form}");
        if (string.IsNullOrEmpty(uri.Host))
            throw new OptionsException($"{source} '{shown}' has no host; use {form}");
        if (uri.AbsolutePath is not ("/" or "") || uri.Query.Length > 0 || uri.Fragment.Length > 0)
            throw new OptionsException($"{source} '{shown}' has a path or query; use {form}");

        string? user = null, password = null;
        if (uri.UserInfo.Length > 0)
        {
            var colon = uri.UserInfo.IndexOf(':');
            user = Uri.UnescapeDataString(colon < 0 ? uri.UserInfo : uri.UserInfo[..colon]);
            password = colon < 0 ? null : Uri.UnescapeDataString(uri.UserInfo[(colon + 1)..]);
        }
        var tls = uri.Scheme == "mqtts";
        var port = uri.IsDefaultPort || uri.Port < 0 ? (tls ? DefaultTlsPort : DefaultPort) : uri.Port;
        if (port is < 1 or > 65535)
            throw new OptionsException($"{source} '{shown}' has port {port}; use 1-65535");
        return new MqttBrokerAddress(uri.IdnHost, port, user, password, tls);
    }

    /// <summary>
    /// The value as given with its password replaced, for an error message: an error is printed,
    /// and the password must not end up on a terminal or in a log. Everything from the first ':'
    /// after the scheme to the last '@' goes, so a password with a stray '/' or '@' goes too.
    /// </summary>
    static string WithoutPassword(string value)
    {
        var scheme = value.IndexOf("://", StringComparison.Ordinal);
        var start = scheme < 0 ? 0 : scheme + 3;
        var at = value.LastIndexOf('@');
        if (at < start) return value;
        var colon = value.IndexOf(':', start, at - start);
        return colon < 0 ? value : value[..(colon + 1)] + "***" + value[at..];
    }

    /// <summary>The address without the password, for logs and status lines.</summary>
    public override string ToString() => $"{(Tls ? "mqtts" : "mqtt")}://{(UserName is null ? "" : UserName + "@")}{Host}:{Port}";
}
