namespace RedisRing.Captcha.Api;

/// <summary>
/// Who is asking: the client's address group (for limits and binding, see
/// <see cref="ClientAddressGrouping"/>) and the embedding page's hostname.
/// </summary>
/// <param name="Ip">
/// The client's address group. The address is the TCP peer's, or the forwarded one when the peer
/// is a configured known proxy (the forwarded-headers middleware has replaced it by then).
/// </param>
internal readonly record struct ClientInfo(string Ip, string Hostname)
{
    public static ClientInfo From(HttpContext context, ClientAddressGrouping grouping)
    {
        var ip = grouping.GroupOf(context.Connection.RemoteIpAddress);
        // Browsers send Origin on cross-origin and on POST requests; Referer is the fallback.
        var hostname = HostOf(context.Request.Headers.Origin.ToString()) ?? HostOf(context.Request.Headers.Referer.ToString()) ?? string.Empty;
        return new ClientInfo(ip, hostname);
    }

    private static string? HostOf(string url) =>
        url.Length > 0 && Uri.TryCreate(url, UriKind.Absolute, out var uri) ? uri.Host.ToLowerInvariant() : null;
}
