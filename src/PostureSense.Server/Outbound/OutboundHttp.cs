using System.Net;
using System.Net.Sockets;

namespace PostureSense.Server.Outbound;

/// <summary>
/// The HTTP handler for requests to wearers' URLs. It resolves and vets the host itself
/// (<see cref="OutboundTargets.VetAsync"/>) and connects to exactly the vetted addresses, so there
/// is no gap between the check and the connection for a DNS answer to change in. It follows no
/// redirect (a 3xx could point anywhere, the check would not see it) and uses no proxy (a proxy
/// would make the connection on our behalf, to a host we never vetted).
/// </summary>
public static class OutboundHttp
{
    public static SocketsHttpHandler Handler(OutboundTargets targets, TimeSpan connectTimeout) => new()
    {
        AllowAutoRedirect = false,
        UseProxy = false,
        UseCookies = false,
        ConnectTimeout = connectTimeout,
        // A pooled connection stays with the address it was vetted for; new ones are vetted anew.
        PooledConnectionLifetime = TimeSpan.FromMinutes(1),
        ConnectCallback = (context, cancellationToken) =>
            ConnectAsync(targets, context.DnsEndPoint.Host, context.DnsEndPoint.Port, cancellationToken),
    };

    static async ValueTask<Stream> ConnectAsync(OutboundTargets targets, string host, int port, CancellationToken cancellationToken)
    {
        var addresses = await targets.VetAsync(host, port, cancellationToken);
        SocketException? last = null;
        foreach (var vetted in addresses)
        {
            var address = vetted.IsIPv4MappedToIPv6 ? vetted.MapToIPv4() : vetted;
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, port), cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException ex)
            {
                socket.Dispose();
                last = ex;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }
        throw last ?? new SocketException((int)SocketError.HostNotFound);
    }
}
