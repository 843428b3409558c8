using RedisRing.Testing;

namespace RedisRing.Registrar.Tests.Integration;

/// <summary>One real standalone ZooKeeper for the collection; each test uses a cluster of its own.</summary>
public sealed class ZooKeeperFixture : IAsyncLifetime
{
    private ZooKeeperServer? _server;

    public ZooKeeperServer Server => _server ?? throw new InvalidOperationException("Not started.");

    public async Task InitializeAsync() => _server = await ZooKeeperServer.StartAsync();

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class ZooKeeperCollection : ICollectionFixture<ZooKeeperFixture>
{
    public const string Name = "registrar ZooKeeper";
}
