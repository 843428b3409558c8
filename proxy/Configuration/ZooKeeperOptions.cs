namespace RedisRing.Proxy.Configuration;

/// <summary>
/// Where the proxy takes its node list from when it is not static: a cluster in ZooKeeper
/// (docs/zookeeper.md). The credential is the cluster's proxy credential and is never logged.
/// </summary>
internal sealed record ZooKeeperOptions
{
    public required string ConnectString { get; init; }

    public required string Cluster { get; init; }

    /// <summary>The proxy credential, <c>user:password</c> (digest scheme). Never logged.</summary>
    public required string Credential { get; init; }

    public TimeSpan SessionTimeout { get; init; } = TimeSpan.FromMilliseconds(4000);

    /// <summary>Bursts of membership changes closer than this are applied as one ring change.</summary>
    public TimeSpan Debounce { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// The <c>host:port</c> this proxy announces under <c>proxies/</c>; null: the listen address
    /// (or the machine's host name when listening on every interface).
    /// </summary>
    public string? Announce { get; init; }
}
