using RedisRing.Testing;

namespace RedisRing.RedisPatch.Tests.Integration;

/// <summary>One real standalone ZooKeeper for the collection; each test uses a cluster of its own.</summary>
public sealed class ZooKeeperFixture : ZooKeeperServerFixture;

[CollectionDefinition(Name)]
public sealed class ZooKeeperCollection : ICollectionFixture<ZooKeeperFixture>
{
    public const string Name = "patched redis ZooKeeper";
}
