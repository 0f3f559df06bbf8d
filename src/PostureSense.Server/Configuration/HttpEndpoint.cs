using System.Net;
using PostureSense.Core.Configuration;

namespace PostureSense.Server.Configuration;

/// <summary>Where the API and dashboard listen: <c>http://IP:port</c> (port 0 picks a free one).</summary>
public sealed record HttpEndpoint(IPAddress Address, int Port)
{
    public static HttpEndpoint Default { get; } = new(IPAddress.Loopback, 8080);

    /// <summary>Health and metrics: the port Prometheus exporters conventionally use.</summary>
    public static HttpEndpoint DefaultManagement { get; } = new(IPAddress.Loopback, 9464);

    /// <param name="source">Where the value came from, named in the error: the option, variable or setting.</param>
    public static HttpEndpoint Parse(string value, string source = "--http")
    {
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttp)
            throw new OptionsException($"{source} '{value}' is not an http:// URL; use http://127.0.0.1:8080");
        if (uri.AbsolutePath is not ("/" or "") || uri.Query.Length > 0 || uri.UserInfo.Length > 0)
            throw new OptionsException($"{source} '{value}' has a path, query or user; use http://IP:port");
        // An explicit address, not a host name: a name could resolve to an interface the operator did not mean to open.
        var address = uri.Host == "localhost" ? IPAddress.Loopback
            : IPAddress.TryParse(uri.Host.Trim('[', ']'), out var ip) ? ip
            : throw new OptionsException($"{source} '{value}' names host '{uri.Host}'; use an IP address such as 127.0.0.1");
        return new HttpEndpoint(address, uri.Port);
    }

    public override string ToString() => $"http://{(Address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{Address}]" : Address.ToString())}:{Port}";
}
