using Xunit;

namespace RedisRing.Testing;

/// <summary>
/// One real standalone ZooKeeper shared by the tests of an xunit collection (use it as, or derive
/// from it for, an <c>ICollectionFixture</c>); stopped when the collection ends.
/// </summary>
public class ZooKeeperServerFixture : IAsyncLifetime
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
