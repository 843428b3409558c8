using RedisRing.Testing;

namespace RedisRing.Registrar.Tests.Integration;

/// <summary>One real standalone ZooKeeper for the registrar's tests; each test creates a cluster of its own.</summary>
[CollectionDefinition(Name)]
public sealed class ZooKeeperCollection : ICollectionFixture<ZooKeeperServerFixture>
{
    public const string Name = "registrar ZooKeeper";
}
