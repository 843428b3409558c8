namespace RedisRing.Captcha.Api;

/// <summary>Who is asking: the client's IP (for limits) and the embedding page's hostname.</summary>
internal readonly record struct ClientInfo(string Ip, string Hostname)
{
    public static ClientInfo From(HttpContext context)
    {
        var ip = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        // Browsers send Origin on cross-origin and on POST requests; Referer is the fallback.
        var hostname = HostOf(context.Request.Headers.Origin.ToString()) ?? HostOf(context.Request.Headers.Referer.ToString()) ?? string.Empty;
        return new ClientInfo(ip, hostname);
    }

    private static string? HostOf(string url) =>
        url.Length > 0 && Uri.TryCreate(url, UriKind.Absolute, out var uri) ? uri.Host.ToLowerInvariant() : null;
}
