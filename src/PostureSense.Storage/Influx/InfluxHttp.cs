using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace PostureSense.Storage.Influx;

/// <summary>The HTTP side shared by writes and queries: one pooled client, the endpoint's auth and URLs.</summary>
public static class InfluxHttp
{
    /// <summary>A client for one endpoint; the caller owns it. Answers may be gzip (a day of frames shrinks a lot).</summary>
    public static HttpClient CreateClient(InfluxEndpoint endpoint, TimeSpan? timeout = null)
    {
        var handler = new SocketsHttpHandler
        {
            AutomaticDecompression = DecompressionMethods.GZip | DecompressionMethods.Deflate,
            ConnectTimeout = TimeSpan.FromSeconds(5),
            // Re-resolve the host now and then, so a moved server (DNS, container restart) is found again.
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        };
        var client = new HttpClient(handler) { BaseAddress = endpoint.BaseUrl, Timeout = timeout ?? TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = Authorization(endpoint);
        return client;
    }

    /// <summary>1.x: basic auth when a user is given; 2.x/3.x: <c>Token</c>.</summary>
    public static AuthenticationHeaderValue? Authorization(InfluxEndpoint endpoint) => endpoint switch
    {
        { Api: InfluxApi.V2, Token: { } token } => new AuthenticationHeaderValue("Token", token),
        { Api: InfluxApi.V1, UserName: { } user } => new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes(user + ":" + endpoint.Password))),
        _ => null,
    };

    /// <summary>The write URL, relative to <see cref="InfluxEndpoint.BaseUrl"/>, in milliseconds.</summary>
    public static string WritePath(InfluxEndpoint endpoint) => endpoint.Api == InfluxApi.V1
        ? $"write?db={Uri.EscapeDataString(endpoint.Database)}&precision=ms"
        : $"api/v2/write?org={Uri.EscapeDataString(endpoint.Org ?? "")}&bucket={Uri.EscapeDataString(endpoint.Database)}&precision=ms";

    /// <summary>The 1.x-compatible query URL (2.x/3.x serve it too, with the bucket as db), times in epoch ms.</summary>
    public static string QueryPath(InfluxEndpoint endpoint, string influxQl) =>
        $"query?db={Uri.EscapeDataString(endpoint.Database)}&epoch=ms&q={Uri.EscapeDataString(influxQl)}";
}
