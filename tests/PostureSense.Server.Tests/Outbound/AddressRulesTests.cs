using System.Net;
using PostureSense.Server.Outbound;

namespace PostureSense.Server.Tests.Outbound;

/// <summary>Every spelling of an internal address is refused for the class it stands for; public ones pass.</summary>
public sealed class AddressRulesTests
{
    [Theory]
    [InlineData("127.0.0.1", "loopback")]
    [InlineData("127.255.0.9", "loopback")]
    [InlineData("::1", "loopback")]
    [InlineData("::ffff:127.0.0.1", "loopback")]
    [InlineData("::127.0.0.1", "loopback")]
    [InlineData("64:ff9b::7f00:1", "loopback")]
    [InlineData("10.20.30.40", "private")]
    [InlineData("172.31.255.255", "private")]
    [InlineData("192.168.0.1", "private")]
    [InlineData("fc00::1", "private")]
    [InlineData("fdff:ffff::1", "private")]
    [InlineData("::ffff:192.168.1.1", "private")]
    [InlineData("169.254.169.254", "link-local")]
    [InlineData("fe80::abcd", "link-local")]
    [InlineData("::ffff:169.254.169.254", "link-local")]
    [InlineData("239.255.255.250", "multicast")]
    [InlineData("ff05::2", "multicast")]
    [InlineData("0.0.0.0", "unspecified")]
    [InlineData("::", "unspecified")]
    [InlineData("100.64.0.1", "shared-nat")]
    [InlineData("100.127.255.254", "shared-nat")]
    [InlineData("255.255.255.255", "reserved")]
    public void Internal_addresses_are_refused_by_class(string address, string reason) =>
        Assert.Equal(reason, AddressRules.Forbidden(IPAddress.Parse(address)));

    [Theory]
    [InlineData("203.0.113.7")]
    [InlineData("172.32.0.1")]
    [InlineData("100.128.0.1")]
    [InlineData("2001:db8::1")]
    [InlineData("::ffff:203.0.113.7")]
    public void Public_addresses_pass(string address) => Assert.Null(AddressRules.Forbidden(IPAddress.Parse(address)));
}
