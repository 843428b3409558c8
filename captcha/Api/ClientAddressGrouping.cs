using System.Net;
using System.Net.Sockets;

namespace RedisRing.Captcha.Api;

/// <summary>
/// Turns a client address into the group that limits count and tokens bind to: an IPv4
/// address (or its /N), an IPv6 /64 (or /N). A host given a /64 can use 2^64 addresses, so
/// counting IPv6 per address would give every such client unlimited tries. The group's text is
/// the address itself for a full-length prefix, else the masked address and the length
/// (<c>2001:db8:1:2::/64</c>).
/// </summary>
internal sealed class ClientAddressGrouping
{
    private readonly int _ipv4PrefixLength;
    private readonly int _ipv6PrefixLength;

    public ClientAddressGrouping(int ipv4PrefixLength, int ipv6PrefixLength)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(ipv4PrefixLength, 8);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(ipv4PrefixLength, 32);
        ArgumentOutOfRangeException.ThrowIfLessThan(ipv6PrefixLength, 16);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(ipv6PrefixLength, 128);
        _ipv4PrefixLength = ipv4PrefixLength;
        _ipv6PrefixLength = ipv6PrefixLength;
    }

    /// <summary>The group of a connection's (or forwarded) address; "unknown" when there is none.</summary>
    public string GroupOf(IPAddress? address)
    {
        if (address is null)
        {
            return "unknown";
        }

        // A dual-stack socket shows IPv4 clients as ::ffff:a.b.c.d: they are IPv4 clients.
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        var length = address.AddressFamily == AddressFamily.InterNetwork ? _ipv4PrefixLength : _ipv6PrefixLength;
        var bytes = address.GetAddressBytes();
        if (length == bytes.Length * 8)
        {
            return new IPAddress(bytes).ToString();
        }

        for (var bit = length; bit < bytes.Length * 8; bit++)
        {
            bytes[bit / 8] &= (byte)~(0x80 >> (bit % 8));
        }

        return new IPAddress(bytes) + "/" + length.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>The group of an address given as text (siteverify's <c>remoteip</c>); false when it is not an IP address.</summary>
    public bool TryGroupOf(string text, out string group)
    {
        if (IPAddress.TryParse(text, out var address) && address.AddressFamily is AddressFamily.InterNetwork or AddressFamily.InterNetworkV6)
        {
            group = GroupOf(address);
            return true;
        }

        group = string.Empty;
        return false;
    }
}
