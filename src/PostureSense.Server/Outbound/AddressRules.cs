using System.Net;
using System.Net.Sockets;

namespace PostureSense.Server.Outbound;

/// <summary>
/// Which addresses a wearer's alert URL may not lead to: the server's own host and the networks
/// behind it (loopback, private and link-local ranges, shared carrier NAT), and addresses that are
/// no single host at all (unspecified, multicast, broadcast, reserved). A URL a wearer types is
/// someone else's input reaching into the deployment: the server's network position must not lend
/// it the reach of an insider (InfluxDB's <c>/query</c>, a cloud metadata service, a router).
/// </summary>
public static class AddressRules
{
    /// <summary>The reasons, as counted in metrics and named in refusals.</summary>
    public static class Reasons
    {
        public const string Loopback = "loopback";
        public const string Private = "private";
        public const string LinkLocal = "link-local";
        public const string Multicast = "multicast";
        public const string Unspecified = "unspecified";
        public const string SharedNat = "shared-nat";
        public const string Reserved = "reserved";
        public const string OwnService = "own-service";
    }

    static readonly (IPNetwork Network, string Reason)[] Blocked =
    [
        (IPNetwork.Parse("0.0.0.0/8"), Reasons.Unspecified),
        (IPNetwork.Parse("127.0.0.0/8"), Reasons.Loopback),
        (IPNetwork.Parse("10.0.0.0/8"), Reasons.Private),
        (IPNetwork.Parse("172.16.0.0/12"), Reasons.Private),
        (IPNetwork.Parse("192.168.0.0/16"), Reasons.Private),
        (IPNetwork.Parse("100.64.0.0/10"), Reasons.SharedNat),
        (IPNetwork.Parse("169.254.0.0/16"), Reasons.LinkLocal),
        (IPNetwork.Parse("192.0.0.0/24"), Reasons.Reserved),      // IETF protocol assignments
        (IPNetwork.Parse("198.18.0.0/15"), Reasons.Reserved),     // benchmarking, often internal
        (IPNetwork.Parse("224.0.0.0/4"), Reasons.Multicast),
        (IPNetwork.Parse("240.0.0.0/4"), Reasons.Reserved),       // and 255.255.255.255, broadcast
        (IPNetwork.Parse("::/128"), Reasons.Unspecified),
        (IPNetwork.Parse("::1/128"), Reasons.Loopback),
        (IPNetwork.Parse("fc00::/7"), Reasons.Private),           // unique local
        (IPNetwork.Parse("fe80::/10"), Reasons.LinkLocal),
        (IPNetwork.Parse("fec0::/10"), Reasons.Private),          // the old site-local
        (IPNetwork.Parse("ff00::/8"), Reasons.Multicast),
    ];

    /// <summary>Why alerts may not go to <paramref name="address"/>; null if they may.</summary>
    public static string? Forbidden(IPAddress address)
    {
        address = Canonical(address);
        foreach (var (network, reason) in Blocked)
            if (network.Contains(address)) return reason;
        return null;
    }

    /// <summary>
    /// The IPv4 address an IPv6 one stands for, where it stands for one: <c>::ffff:127.0.0.1</c>
    /// reaches 127.0.0.1, and the NAT64 prefix 64:ff9b::/96 and the old IPv4-compatible form
    /// <c>::a.b.c.d</c> carry one too. Checked as that IPv4 address, so no spelling hides it.
    /// </summary>
    public static IPAddress Canonical(IPAddress address)
    {
        if (address.AddressFamily != AddressFamily.InterNetworkV6) return address;
        if (address.IsIPv4MappedToIPv6) return address.MapToIPv4();
        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out _);
        var nat64 = bytes[0] == 0x00 && bytes[1] == 0x64 && bytes[2] == 0xff && bytes[3] == 0x9b && bytes[4..12].IndexOfAnyExcept((byte)0) < 0;
        var compatible = bytes[..12].IndexOfAnyExcept((byte)0) < 0 && bytes[12..].IndexOfAnyExcept((byte)0) >= 0
                         && !(bytes[12] == 0 && bytes[13] == 0 && bytes[14] == 0 && bytes[15] == 1); // ::1 is loopback itself
        return nat64 || compatible ? new IPAddress(bytes[12..]) : address;
    }

    /// <summary>How a reason reads in a sentence: "a loopback address".</summary>
    public static string Describe(string reason) => reason switch
    {
        Reasons.Loopback => "a loopback address (this machine)",
        Reasons.Private => "a private network address",
        Reasons.LinkLocal => "a link-local address",
        Reasons.Multicast => "a multicast address",
        Reasons.Unspecified => "an unspecified address",
        Reasons.SharedNat => "a shared (carrier NAT) address",
        Reasons.Reserved => "a reserved address",
        Reasons.OwnService => "one of this server's own services",
        _ => reason,
    };
}
