using RedisRing.Testing;

namespace RedisRing.Membership.Tests;

/// <summary>One real standalone ZooKeeper for the membership tests; each test creates a cluster of its own.</summary>
[CollectionDefinition(Name)]
public sealed class ZooKeeperCollection : ICollectionFixture<ZooKeeperServerFixture>
{
    public const string Name = "membership ZooKeeper";
}
