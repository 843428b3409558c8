using System.Globalization;

namespace RedisRing.Ring;

/// <summary>
/// One backend on the ring. <see cref="Name"/> is what the continuum hashes, so it decides
/// placement: it is the explicit name when the configuration gives one, else "host:port"
/// (see <see cref="FromEndpoint"/> for twemproxy's exact rule).
/// </summary>
public sealed record RingNode(string Name, string Host, int Port, int Weight)
{
    /// <summary>The port twemproxy leaves out of default names, for libmemcached compatibility.</summary>
    public const int LibmemcachedDefaultPort = 11211;

    /// <summary>
    /// Builds a node named the way twemproxy names a "host:port:weight [name]" server line: the
    /// explicit name when given, else "host:port", except that port 11211 gives just "host".
    /// </summary>
    public static RingNode FromEndpoint(string host, int port, int weight = 1, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(host);
        if (string.IsNullOrEmpty(name))
        {
            name = port == LibmemcachedDefaultPort ? host : host + ":" + port.ToString(CultureInfo.InvariantCulture);
        }

        return new RingNode(name, host, port, weight);
    }
}
