using RedisRing.Testing;

namespace RedisRing.RedisPatch.Tests.Integration;

/// <summary>One real standalone ZooKeeper for the patched server's tests; each test creates a cluster of its own.</summary>
[CollectionDefinition(Name)]
public sealed class ZooKeeperCollection : ICollectionFixture<ZooKeeperServerFixture>
{
    public const string Name = "patched redis ZooKeeper";
}
