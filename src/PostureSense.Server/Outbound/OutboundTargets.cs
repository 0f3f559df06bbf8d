using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace PostureSense.Server.Outbound;

/// <summary>Resolves a host name to its addresses; tests replace it to play a DNS that changes.</summary>
public delegate Task<IPAddress[]> HostResolver(string host, CancellationToken cancellationToken);

/// <summary>One of the deployment's own services (broker, store, listeners): a host and a port, 0 for not yet bound.</summary>
public sealed record ServiceEndpoint(string Host, int Port);

/// <summary>
/// Where the server may send a wearer's alerts: the one place <see cref="AddressRules"/>, the
/// operator's <see cref="OutboundAllowlist"/> and the deployment's own services are weighed. A URL
/// is checked when it is saved, to tell the wearer at once, and its host is checked again on every
/// connection (<see cref="OutboundHttp"/>), on the addresses actually connected to, since a name
/// can resolve elsewhere by then.
/// </summary>
/// <param name="ownServices">Read at each check: ports bound at start (port 0 asked) are known only then.</param>
public sealed class OutboundTargets(OutboundAllowlist allow, Func<IEnumerable<ServiceEndpoint>> ownServices, HostResolver? resolver = null,
    PostureMetrics? metrics = null)
{
    public const string SaveStage = "save";
    public const string SendStage = "send";

    /// <summary>How long a save waits for DNS; a name that does not resolve in time is checked when sending.</summary>
    public static readonly TimeSpan SaveResolveTimeout = TimeSpan.FromSeconds(3);

    readonly HostResolver _resolve = resolver ?? SystemResolver;

    public static Task<IPAddress[]> SystemResolver(string host, CancellationToken cancellationToken) => Dns.GetHostAddressesAsync(host, cancellationToken);

    /// <summary>
    /// Why the URL may not receive alerts, in words for the wearer; null if it may. A name that
    /// does not resolve now is let through (DNS may be down, or the name made ahead): every send
    /// checks it again.
    /// </summary>
    public async Task<string?> ProblemAsync(string url, string what, CancellationToken cancellationToken)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            return $"{what} '{url}' is not an http:// or https:// URL";
        if (uri.UserInfo.Length > 0) return $"{what} must not hold a user";
        var host = HostOf(uri);
        IPAddress[] addresses;
        using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            timeout.CancelAfter(SaveResolveTimeout);
            try
            {
                addresses = await AddressesAsync(host, timeout.Token);
            }
            catch (Exception ex) when (ex is SocketException || ex is OperationCanceledException && !cancellationToken.IsCancellationRequested)
            {
                return null;
            }
        }
        if (await RefusalAsync(host, uri.Port, addresses, cancellationToken) is not { } refusal) return null;
        metrics?.AlertRefused(SaveStage, refusal.Reason);
        return $"{what} '{url}' leads to {AddressRules.Describe(refusal.Reason)} ({refusal.Address}): alerts may not go there " +
               "unless the server's operator allows it (--alert-allow)";
    }

    /// <summary>The addresses a connection to <paramref name="host"/> may use: all of them, or a refusal.</summary>
    /// <exception cref="OutboundRefusedException">Any address the host resolves to is out of bounds.</exception>
    /// <exception cref="SocketException">The host does not resolve.</exception>
    public async Task<IPAddress[]> VetAsync(string host, int port, CancellationToken cancellationToken)
    {
        host = host.Trim('[', ']');
        var addresses = await AddressesAsync(host, cancellationToken);
        if (await RefusalAsync(host, port, addresses, cancellationToken) is { } refusal)
        {
            metrics?.AlertRefused(SendStage, refusal.Reason);
            throw new OutboundRefusedException(refusal.Reason,
                $"{host}:{port} resolves to {AddressRules.Describe(refusal.Reason)} ({refusal.Address}), where alerts may not go");
        }
        return addresses;
    }

    /// <summary>The host as a resolver or an address parser takes it: IPv6 without brackets.</summary>
    public static string HostOf(Uri uri) => uri.IdnHost.Trim('[', ']');

    async Task<IPAddress[]> AddressesAsync(string host, CancellationToken cancellationToken)
    {
        if (IPAddress.TryParse(host, out var literal)) return [literal];
        var addresses = await _resolve(host, cancellationToken);
        return addresses.Length > 0 ? addresses : throw new SocketException((int)SocketError.HostNotFound);
    }

    /// <summary>
    /// The first address that may not be reached. Any one refused refuses the host: a client that
    /// tried the next one would let a name mix a public address with an internal one. The server's
    /// own service ports are refused even where the allowlist lets their address through.
    /// </summary>
    async Task<Refusal?> RefusalAsync(string host, int port, IPAddress[] addresses, CancellationToken cancellationToken)
    {
        var own = await OwnAsync(cancellationToken);
        foreach (var raw in addresses)
        {
            var address = AddressRules.Canonical(raw);
            if (own.IsService(address, port)) return new Refusal(AddressRules.Reasons.OwnService, address);
            if (allow.Allows(host, port, address)) continue;
            if (AddressRules.Forbidden(address) is { } reason) return new Refusal(reason, address);
            // A public address of this server's broker, store or listeners: any port of it.
            if (own.Hosts.Contains(address)) return new Refusal(AddressRules.Reasons.OwnService, address);
        }
        return null;
    }

    async Task<OwnServices> OwnAsync(CancellationToken cancellationToken)
    {
        var own = new OwnServices();
        foreach (var service in ownServices())
        {
            IPAddress[] addresses;
            try
            {
                addresses = await AddressesAsync(service.Host.Trim('[', ']'), cancellationToken);
            }
            catch (SocketException)
            {
                continue; // a broker or store that does not resolve cannot be reached through it either
            }
            foreach (var raw in addresses)
            {
                var address = AddressRules.Canonical(raw);
                // Listening on every interface: each of them, and loopback, is this server.
                var local = address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any) ? LocalAddresses() : [address];
                foreach (var one in local)
                {
                    own.Hosts.Add(one);
                    if (service.Port > 0) own.Endpoints.Add(new IPEndPoint(one, service.Port));
                }
                if (local.Length > 1 && service.Port > 0) own.AnyLoopbackPorts.Add(service.Port);
            }
        }
        return own;
    }

    static IPAddress[] LocalAddresses()
    {
        var addresses = new List<IPAddress> { IPAddress.Loopback, IPAddress.IPv6Loopback };
        try
        {
            addresses.AddRange(NetworkInterface.GetAllNetworkInterfaces()
                .SelectMany(n => n.GetIPProperties().UnicastAddresses).Select(u => AddressRules.Canonical(u.Address)));
        }
        catch (NetworkInformationException)
        {
            // Loopback at least; the interfaces' addresses are private ones in most deployments anyway.
        }
        return [.. addresses.Distinct()];
    }

    sealed class OwnServices
    {
        public HashSet<IPAddress> Hosts { get; } = [];
        public HashSet<IPEndPoint> Endpoints { get; } = [];
        public HashSet<int> AnyLoopbackPorts { get; } = [];

        public bool IsService(IPAddress address, int port) =>
            Endpoints.Contains(new IPEndPoint(address, port)) || (AnyLoopbackPorts.Contains(port) && IPAddress.IsLoopback(address));
    }

    sealed record Refusal(string Reason, IPAddress Address);
}

/// <summary>A connection refused by <see cref="OutboundTargets"/>: the delivery fails at once, without retries.</summary>
public sealed class OutboundRefusedException(string reason, string message) : IOException(message)
{
    /// <summary>One of <see cref="AddressRules.Reasons"/>.</summary>
    public string Reason { get; } = reason;

    /// <summary>The refusal behind an exception HttpClient wrapped it in, if there is one.</summary>
    public static OutboundRefusedException? In(Exception? exception)
    {
        for (; exception is not null; exception = exception.InnerException)
            if (exception is OutboundRefusedException refused) return refused;
        return null;
    }
}
