using static RedisRing.Proxy.Configuration.ProxyOptionType;

namespace RedisRing.Proxy.Configuration;

/// <summary>
/// The settings that together make <see cref="ZooKeeperOptions"/>: any of them starts the group,
/// and <see cref="ProxyOptionsValidator"/> checks the group as a whole once every source is read.
/// </summary>
internal static partial class ProxyOptionTable
{
    private static ProxyOptionDefinition[] ZooKeeper() =>
    [
        new()
        {
            Name = "zookeeper", Flag = "--zookeeper", Type = Text, ValueName = "CONNECT",
            Help = "take the nodes from ZooKeeper instead (host:port,host:port...)",
            Set = static (o, v) => ProxyOptionParsers.WithZooKeeper(o, z => z with { ConnectString = v.Text }),
        },
        new()
        {
            Name = "cluster", Flag = "--cluster", Type = Text, ValueName = "NAME",
            Help = "cluster name under /redisring (with --zookeeper)",
            Set = static (o, v) => ProxyOptionParsers.WithZooKeeper(o, z => z with { Cluster = v.Text }),
        },
        new()
        {
            Name = "zkAuth", Flag = "--zk-auth", Type = Text, ValueName = "USER:PASS", EnvironmentVariable = "REDISRING_ZK_PROXY_AUTH", Secret = true,
            Help = "the cluster's proxy credential",
            Set = static (o, v) => ProxyOptionParsers.WithZooKeeper(o, z => z with { Credential = v.Text }),
        },
        new()
        {
            Name = "zkSessionTimeoutMs", Flag = "--zk-session-timeout-ms", Type = Integer, ValueName = "N", Default = "4000",
            Help = "ZooKeeper session timeout", Check = ProxyOptionChecks.Positive,
            Set = static (o, v) => ProxyOptionParsers.WithZooKeeper(o, z => z with { SessionTimeout = TimeSpan.FromMilliseconds(v.Number) }),
        },
        new()
        {
            Name = "ringDebounceMs", Flag = "--ring-debounce-ms", Type = Integer, ValueName = "N", Default = "100",
            Help = "membership changes closer than this make one ring change", Check = ProxyOptionChecks.NotNegative,
            Set = static (o, v) => ProxyOptionParsers.WithZooKeeper(o, z => z with { Debounce = TimeSpan.FromMilliseconds(v.Number) }),
        },
        new()
        {
            Name = "announce", Flag = "--announce", Type = Text, ValueName = "HOST:PORT",
            Help = "address published under proxies/ (default: the listen address)",
            Set = static (o, v) => ProxyOptionParsers.WithZooKeeper(o, z => z with { Announce = v.Text }),
        },
    ];
}
