using RedisRing.Testing;

namespace RedisRing.Proxy.Tests.ZooKeeperMode;

/// <summary>One real standalone ZooKeeper for the proxy's ZooKeeper-mode tests; each test creates a cluster of its own.</summary>
[CollectionDefinition(Name)]
public sealed class ZooKeeperCollection : ICollectionFixture<ZooKeeperServerFixture>
{
    public const string Name = "proxy ZooKeeper";
}
