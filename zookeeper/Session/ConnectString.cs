using System.Globalization;
using System.Net;

namespace RedisRing.ZooKeeper.Session;

/// <summary>A parsed connect string: the servers and the chroot every path is relative to.</summary>
internal sealed record ConnectString(IReadOnlyList<DnsEndPoint> Servers, string? Chroot)
{
    private const int DefaultPort = 2181;

    public static ConnectString Parse(string value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(value);
        string? chroot = null;
        var slash = value.IndexOf('/', StringComparison.Ordinal);
        var hosts = value;
        if (slash >= 0)
        {
            chroot = value[slash..];
            hosts = value[..slash];
            ZooKeeperPath.Validate(chroot);
            if (chroot == "/")
            {
                chroot = null;
            }
        }

        var servers = new List<DnsEndPoint>();
        foreach (var part in hosts.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            servers.Add(ParseServer(part));
        }

        if (servers.Count == 0)
        {
            throw new ArgumentException($"No server in connect string '{value}'.", nameof(value));
        }

        return new ConnectString(servers, chroot);
    }

    /// <summary>The server-side path of a client path.</summary>
    public string ToServerPath(string path) => Chroot is null ? path : path == "/" ? Chroot : Chroot + path;

    /// <summary>The client-side path of a server path (paths outside the chroot are returned unchanged).</summary>
    public string ToClientPath(string serverPath)
    {
        if (Chroot is null)
        {
            return serverPath;
        }

        if (serverPath == Chroot)
        {
            return "/";
        }

        return serverPath.StartsWith(Chroot + "/", StringComparison.Ordinal) ? serverPath[Chroot.Length..] : serverPath;
    }

    private static DnsEndPoint ParseServer(string part)
    {
        // IPv6 literals come in brackets: [::1]:2181.
        string host;
        var port = DefaultPort;
        if (part.StartsWith('['))
        {
            var close = part.IndexOf(']', StringComparison.Ordinal);
            if (close < 0)
            {
                throw new ArgumentException($"Bad server '{part}' in connect string.", nameof(part));
            }

            host = part[1..close];
            if (close + 1 < part.Length)
            {
                port = ParsePort(part, part[(close + 1)..].TrimStart(':'));
            }
        }
        else
        {
            var colon = part.LastIndexOf(':');
            host = colon < 0 ? part : part[..colon];
            if (colon >= 0)
            {
                port = ParsePort(part, part[(colon + 1)..]);
            }
        }

        return new DnsEndPoint(host, port);
    }

    private static int ParsePort(string part, string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is > 0 and < 65536
            ? port
            : throw new ArgumentException($"Bad port in server '{part}' of the connect string.", nameof(part));
}
