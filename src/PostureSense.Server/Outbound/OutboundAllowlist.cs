using System.Globalization;
using System.Net;

namespace PostureSense.Server.Outbound;

/// <summary>
/// The operator's exceptions to <see cref="AddressRules"/> (<c>--alert-allow</c>): a self-hosted
/// ntfy on the LAN, say. Each entry is a host name, an IP address or a CIDR range, the first two
/// optionally with a port: <c>ntfy.lan:8080</c>, <c>192.168.1.20</c>, <c>[fd00::5]:80</c>,
/// <c>10.1.0.0/16</c>. A name matches the URL's host as written (whatever it resolves to, which is
/// the operator's own DNS); an address or range matches the address the URL resolves to.
/// </summary>
public sealed class OutboundAllowlist
{
    readonly IReadOnlyList<Entry> _entries;

    OutboundAllowlist(IReadOnlyList<Entry> entries) => _entries = entries;

    public static OutboundAllowlist None { get; } = new([]);

    public bool IsEmpty => _entries.Count == 0;

    /// <summary>Entries separated by commas or spaces.</summary>
    /// <exception cref="FormatException">An entry is none of the forms; the message names it.</exception>
    public static OutboundAllowlist Parse(string value) =>
        new(value.Split([',', ' ', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(ParseEntry).ToList());

    /// <summary>Whether the entries let a URL's host (as written) and port through to <paramref name="address"/>.</summary>
    public bool Allows(string host, int port, IPAddress address)
    {
        address = AddressRules.Canonical(address);
        return _entries.Any(e => (e.Port is null || e.Port == port) && (e.Host is { } name
            ? string.Equals(name, host.TrimEnd('.'), StringComparison.OrdinalIgnoreCase)
            : e.Network!.Value.Contains(address)));
    }

    public override string ToString() => string.Join(",", _entries);

    static Entry ParseEntry(string text)
    {
        if (text.Contains('/', StringComparison.Ordinal))
        {
            if (IPNetwork.TryParse(text, out var network)) return new Entry(null, network, null, text);
            throw Bad(text);
        }
        // A bare IP address, an IPv6 one in brackets, either with a port, or a name with one.
        if (IPAddress.TryParse(text, out var ip)) return new Entry(null, new IPNetwork(ip, ip.GetAddressBytes().Length * 8), null, text);
        string host = text;
        int? port = null;
        var colon = text.LastIndexOf(':');
        if (colon > 0 && (text[0] != '[' || text[colon - 1] == ']'))
        {
            if (!int.TryParse(text[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var p) || p is < 1 or > 65535) throw Bad(text);
            (host, port) = (text[..colon], p);
        }
        var bare = host.Trim('[', ']');
        if (IPAddress.TryParse(bare, out ip)) return new Entry(null, new IPNetwork(ip, ip.GetAddressBytes().Length * 8), port, text);
        if (Uri.CheckHostName(host) == UriHostNameType.Dns) return new Entry(host.TrimEnd('.'), null, port, text);
        throw Bad(text);
    }

    static FormatException Bad(string entry) =>
        new($"'{entry}' is not a host[:port], an IP address[:port] or a CIDR range such as 192.168.1.0/24");

    sealed record Entry(string? Host, IPNetwork? Network, int? Port, string Text)
    {
        public override string ToString() => Text;
    }
}
