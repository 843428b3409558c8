using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace RedisRing.ZooKeeper;

/// <summary>Settings of a <see cref="ZooKeeperClient"/>.</summary>
public sealed class ZooKeeperClientOptions
{
    /// <summary>
    /// Servers and optional chroot, as ZooKeeper's own clients take it:
    /// <c>host1:2181,host2:2181,host3:2181/app</c>. Servers are tried in a shuffled order.
    /// </summary>
    public required string ConnectString { get; init; }

    /// <summary>Requested session timeout; the server clamps it to [2, 20] ticks.</summary>
    public TimeSpan SessionTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Largest request or reply accepted, in bytes. Keep it equal to the servers' jute.maxbuffer
    /// (default 0xfffff): a server drops the connection on a larger packet.
    /// </summary>
    public int MaxPacketLength { get; init; } = 0xfffff;

    public ILoggerFactory LoggerFactory { get; init; } = NullLoggerFactory.Instance;

    /// <summary>Clock for pings, read timeouts and the client-side expiry; injectable for tests.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Randomness for the server order; injectable for tests.</summary>
    public Random Random { get; init; } = Random.Shared;
}
