using RedisRing.Testing;

namespace RedisRing.ZooKeeper.Tests.Fixtures;

/// <summary>
/// One real 3-member ensemble shared by the tests of the collection (they run one after the
/// other). A test that kills members starts them again before it ends.
/// </summary>
public sealed class SharedEnsemble : IAsyncLifetime
{
    private ZooKeeperEnsemble? _ensemble;

    public ZooKeeperEnsemble Ensemble => _ensemble ?? throw new InvalidOperationException("Not started.");

    public async Task InitializeAsync() => _ensemble = await ZooKeeperEnsemble.StartAsync();

    public async Task DisposeAsync()
    {
        if (_ensemble is not null)
        {
            await _ensemble.DisposeAsync();
        }
    }

    public Task<ZooKeeperClient> ConnectAsync(string? connectString = null, TimeSpan? sessionTimeout = null) =>
        ZooKeeperClient.ConnectAsync(new ZooKeeperClientOptions
        {
            ConnectString = connectString ?? Ensemble.ConnectString,
            SessionTimeout = sessionTimeout ?? TimeSpan.FromSeconds(8),
        });

    /// <summary>Starts every member that a test killed, and waits until all serve.</summary>
    public Task RestoreAsync() => Ensemble.StartAllAsync();

    /// <summary>
    /// A member that is a follower now. Tests that kill a member and expect the others to keep
    /// serving kill a follower: when the leader dies, the others drop every client until they
    /// have elected a new one (ConnectionLoss for whatever was sent meanwhile), which is
    /// ZooKeeper's behaviour, not what those tests are about.
    /// </summary>
    public async Task<ZooKeeperServer> FollowerAsync()
    {
        foreach (var member in Ensemble.Members)
        {
            if (await member.ModeAsync() == "follower")
            {
                return member;
            }
        }

        throw new InvalidOperationException("no follower in the ensemble");
    }
}

[CollectionDefinition(Name)]
public sealed class EnsembleCollection : ICollectionFixture<SharedEnsemble>
{
    public const string Name = "ZooKeeper ensemble";
}
