namespace RedisRing.Captcha.Hosting;

/// <summary>
/// The "ClientIp" configuration section: who the client is when the service sits behind a
/// reverse proxy or CDN, and how client addresses are grouped for limits and binding.
/// </summary>
internal sealed class ClientIpOptions
{
    /// <summary>
    /// Proxies (single addresses) whose <c>X-Forwarded-For</c> is believed. Empty, with
    /// <see cref="KnownNetworks"/> empty too (the default), means the header is never read: anyone
    /// can send it, so trusting it from everyone would let every bot pick its own address.
    /// </summary>
    public List<string> KnownProxies { get; set; } = [];

    /// <summary>Networks in CIDR notation (<c>10.0.0.0/8</c>, <c>2001:db8::/32</c>) whose proxies are believed.</summary>
    public List<string> KnownNetworks { get; set; } = [];

    /// <summary>How many forwarded hops are unwound at most (each must come from a known proxy).</summary>
    public int ForwardLimit { get; set; } = 1;

    /// <summary>The header the proxies set (some CDNs use their own, such as <c>CF-Connecting-IP</c>).</summary>
    public string ForwardedForHeaderName { get; set; } = "X-Forwarded-For";

    /// <summary>IPv4 clients are one client per this many leading bits (32: one address).</summary>
    public int Ipv4PrefixLength { get; set; } = 32;

    /// <summary>
    /// IPv6 clients are one client per this many leading bits (64 by default: a single host
    /// usually gets a whole /64 and can use any address in it).
    /// </summary>
    public int Ipv6PrefixLength { get; set; } = 64;
}
