using RedisRing.Testing;

namespace RedisRing.ZooKeeper.Tests.Fixtures;

/// <summary>
/// One real standalone ZooKeeper shared by the tests of the collection; each test works below a
/// chroot of its own, so tests do not see each other's nodes.
/// </summary>
public sealed class StandaloneZooKeeper : ZooKeeperServerFixture
{
    /// <summary>Creates a fresh folder and connects a client chrooted to it.</summary>
    public async Task<ZooKeeperClient> ConnectFreshAsync(TimeSpan? sessionTimeout = null)
    {
        var chroot = "/t-" + Guid.NewGuid().ToString("N")[..12];
        await using (var root = await ZooKeeperClient.ConnectAsync(new ZooKeeperClientOptions { ConnectString = Server.Endpoint }))
        {
            await root.CreateAsync(chroot);
        }

        return await ConnectAsync(chroot, sessionTimeout);
    }

    /// <summary>Connects a client to the server, optionally chrooted.</summary>
    public Task<ZooKeeperClient> ConnectAsync(string chroot = "", TimeSpan? sessionTimeout = null, Microsoft.Extensions.Logging.ILoggerFactory? loggerFactory = null) =>
        ZooKeeperClient.ConnectAsync(new ZooKeeperClientOptions
        {
            ConnectString = Server.Endpoint + chroot,
            SessionTimeout = sessionTimeout ?? TimeSpan.FromSeconds(4),
            LoggerFactory = loggerFactory ?? Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance,
        });
}

[CollectionDefinition(Name)]
public sealed class StandaloneCollection : ICollectionFixture<StandaloneZooKeeper>
{
    public const string Name = "standalone ZooKeeper";
}
