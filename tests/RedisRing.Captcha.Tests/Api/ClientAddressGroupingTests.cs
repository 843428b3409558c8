using System.Net;
using RedisRing.Captcha.Api;

namespace RedisRing.Captcha.Tests.Api;

public sealed class ClientAddressGroupingTests
{
    private readonly ClientAddressGrouping _default = new(32, 64);

    [Fact]
    public void IPv6_clients_are_grouped_per_64_and_IPv4_clients_per_address()
    {
        Assert.Equal("2001:db8:1:2::/64", _default.GroupOf(IPAddress.Parse("2001:db8:1:2:aaaa:bbbb:cccc:dddd")));
        Assert.Equal("2001:db8:1:2::/64", _default.GroupOf(IPAddress.Parse("2001:db8:1:2::1")));
        Assert.Equal("2001:db8:1:3::/64", _default.GroupOf(IPAddress.Parse("2001:db8:1:3::1")));
        Assert.Equal("203.0.113.7", _default.GroupOf(IPAddress.Parse("203.0.113.7")));
    }

    [Fact]
    public void An_IPv4_client_on_a_dual_stack_socket_is_an_IPv4_client()
    {
        Assert.Equal("203.0.113.7", _default.GroupOf(IPAddress.Parse("::ffff:203.0.113.7")));
    }

    [Fact]
    public void The_prefix_lengths_are_configurable()
    {
        var coarse = new ClientAddressGrouping(24, 48);

        Assert.Equal("203.0.113.0/24", coarse.GroupOf(IPAddress.Parse("203.0.113.200")));
        Assert.Equal("2001:db8:1::/48", coarse.GroupOf(IPAddress.Parse("2001:db8:1:ffff::1")));
        Assert.Equal("2001:db8:1:2:3:4:5:6", new ClientAddressGrouping(32, 128).GroupOf(IPAddress.Parse("2001:db8:1:2:3:4:5:6")));
    }

    [Fact]
    public void Text_that_is_not_an_address_has_no_group()
    {
        Assert.True(_default.TryGroupOf("2001:db8:1:2::99", out var group));
        Assert.Equal("2001:db8:1:2::/64", group);
        Assert.False(_default.TryGroupOf("not-an-ip", out _));
        Assert.False(_default.TryGroupOf(string.Empty, out _));
    }
}
