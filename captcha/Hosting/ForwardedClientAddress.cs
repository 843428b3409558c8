using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace RedisRing.Captcha.Hosting;

/// <summary>
/// Sets up ASP.NET Core's forwarded-headers middleware from <see cref="ClientIpOptions"/>: the
/// client address is taken from <c>X-Forwarded-For</c> only when the TCP peer is a configured
/// proxy. Nothing is configured by default, and then the middleware is not used at all (its own
/// defaults would trust loopback).
/// </summary>
internal static class ForwardedClientAddress
{
    /// <summary>The middleware's options, or null when no proxy is configured.</summary>
    public static ForwardedHeadersOptions? OptionsFrom(ClientIpOptions client)
    {
        if (client.KnownProxies.Count == 0 && client.KnownNetworks.Count == 0)
        {
            return null;
        }

        if (client.ForwardLimit < 1)
        {
            throw new ConfigurationException($"ClientIp:ForwardLimit must be at least 1, not {client.ForwardLimit}.");
        }

        var options = new ForwardedHeadersOptions
        {
            ForwardedHeaders = ForwardedHeaders.XForwardedFor,
            ForwardLimit = client.ForwardLimit,
            ForwardedForHeaderName = client.ForwardedForHeaderName,
        };
        options.KnownProxies.Clear();
        options.KnownIPNetworks.Clear();
        foreach (var proxy in client.KnownProxies)
        {
            options.KnownProxies.Add(IPAddress.TryParse(proxy, out var address)
                ? address
                : throw new ConfigurationException($"ClientIp:KnownProxies: '{proxy}' is not an IP address."));
        }

        foreach (var network in client.KnownNetworks)
        {
            options.KnownIPNetworks.Add(System.Net.IPNetwork.TryParse(network, out var parsed)
                ? parsed
                : throw new ConfigurationException($"ClientIp:KnownNetworks: '{network}' is not a network in CIDR notation (10.0.0.0/8)."));
        }

        return options;
    }
}
