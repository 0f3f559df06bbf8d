using System.Net;
using PostureSense.Core.Configuration;

namespace PostureSense.Server.Configuration;

/// <summary>
/// The Redis a cluster of server nodes meets through (<c>--cluster redis://[[user]:password@]host:port</c>).
/// Printed and named in errors without its password.
/// </summary>
public sealed record ClusterAddress(string Host, int Port, string? User = null, string? Password = null)
{
    public const int DefaultPort = 6379;

    /// <param name="source">Where the value came from, named in the error: the option, variable or setting.</param>
    public static ClusterAddress Parse(string value, string source = "--cluster")
    {
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || uri.Scheme != "redis" || uri.Host.Length == 0)
            throw new OptionsException($"{source} '{Redact(value)}' is not a redis:// URL; use redis://host:port");
        if (uri.AbsolutePath is not ("/" or "") || uri.Query.Length > 0 || uri.Fragment.Length > 0)
            throw new OptionsException($"{source} '{Redact(value)}' has a path or query; use redis://host:port");
        string? user = null, password = null;
        if (uri.UserInfo.Length > 0)
        {
            var parts = uri.UserInfo.Split(':', 2);
            user = parts[0].Length > 0 ? Uri.UnescapeDataString(parts[0]) : null;
            password = parts.Length > 1 ? Uri.UnescapeDataString(parts[1]) : null;
        }
        return new ClusterAddress(uri.Host.Trim('[', ']'), uri.IsDefaultPort || uri.Port < 0 ? DefaultPort : uri.Port, user, password);
    }

    /// <summary>The value with whatever stands before '@' hidden: an error must not print a password.</summary>
    static string Redact(string value)
    {
        var scheme = value.IndexOf("://", StringComparison.Ordinal);
        var at = value.LastIndexOf('@');
        return scheme >= 0 && at > scheme ? value[..(scheme + 3)] + "***" + value[at..] : value;
    }

    public override string ToString() => $"redis://{(Host.Contains(':') ? $"[{Host}]" : Host)}:{Port}";
}

/// <summary>
/// Where this node's silo listens and how the other nodes reach it (<c>--cluster-listen IP[:PORT]</c>):
/// one address, advertised as it is bound, so no "any" address. Port 0 picks a free one at start,
/// so that several nodes on one machine do not clash.
/// </summary>
public sealed record ClusterEndpoint(IPAddress Address, int Port)
{
    public static ClusterEndpoint Default { get; } = new(IPAddress.Loopback, 0);

    public static ClusterEndpoint Parse(string value, string source = "--cluster-listen")
    {
        var text = value.Trim();
        IPEndPoint? endpoint = IPAddress.TryParse(text, out var bare) ? new IPEndPoint(bare, 0)
            : IPEndPoint.TryParse(text, out var parsed) ? parsed : null;
        if (endpoint is null)
            throw new OptionsException($"{source} '{value}' is not IP[:PORT]; use 127.0.0.1:11111, or an address the other nodes reach");
        if (endpoint.Address.Equals(IPAddress.Any) || endpoint.Address.Equals(IPAddress.IPv6Any))
            throw new OptionsException($"{source} '{value}' is an any-address; the other nodes must be told one they can reach, such as 10.0.0.5");
        return new ClusterEndpoint(endpoint.Address, endpoint.Port);
    }

    public override string ToString() => Address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{Address}]:{Port}" : $"{Address}:{Port}";
}
