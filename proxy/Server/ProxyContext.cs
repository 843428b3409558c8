using Microsoft.Extensions.Logging;
using RedisRing.Proxy.Configuration;
using RedisRing.Proxy.Routing;

namespace RedisRing.Proxy.Server;

/// <summary>What every client session shares: options, the current ring snapshot and counters.</summary>
internal sealed class ProxyContext
{
    private RingState _ring;

    public ProxyContext(ProxyOptions options, RingState ring, ILoggerFactory loggerFactory)
    {
        Options = options;
        _ring = ring;
        LoggerFactory = loggerFactory;
        Stats = new ProxyStats();
        PasswordBytes = options.Password is null ? null : System.Text.Encoding.UTF8.GetBytes(options.Password);
    }

    public ProxyOptions Options { get; }

    public ILoggerFactory LoggerFactory { get; }

    public ProxyStats Stats { get; }

    public byte[]? PasswordBytes { get; }

    public DateTimeOffset StartedAt { get; } = DateTimeOffset.UtcNow;

    /// <summary>The current ring; a request keeps the snapshot it read for its whole life.</summary>
    public RingState Ring => Volatile.Read(ref _ring);

    /// <summary>Swaps in a new ring snapshot (membership changes).</summary>
    public void SwapRing(RingState ring) => Volatile.Write(ref _ring, ring);

    /// <summary>The ZooKeeper membership feeding the ring; null with a static node list.</summary>
    public Membership.ZooKeeperMembership? Membership { get; set; }

    /// <summary>Set by the server so that an enabled SHUTDOWN can stop the proxy.</summary>
    public CancellationTokenSource Shutdown { get; } = new();
}
