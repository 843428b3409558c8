using RedisRing.Membership;
using RedisRing.Testing;

namespace RedisRing.Ringctl.Tests;

/// <summary>
/// One real cluster shared by the ringctl tests (they run one at a time in their class): a
/// ZooKeeper, three redis-servers with their registrars, one proxy (anti-entropy off, so a copy a
/// test makes differ stays different until the test repairs it), and 200 keys written through it.
/// </summary>
public sealed class RingctlClusterFixture : IAsyncLifetime
{
    public const int Keys = 200;

    private ZooKeeperServer? _zooKeeper;

    public ZooKeeperServer ZooKeeper => _zooKeeper ?? throw new InvalidOperationException("Not started.");

    public ZooKeeperRingCluster Cluster { get; private set; } = null!;

    public RedisServer[] Redis { get; private set; } = [];

    public ProxyProcess Proxy { get; private set; } = null!;

    /// <summary>The options every run names: this ZooKeeper and this cluster (the credential goes through the environment).</summary>
    public string[] Target => ["--zookeeper", ZooKeeper.Endpoint, "--cluster", Cluster.Layout.Cluster];

    public async Task InitializeAsync()
    {
        _zooKeeper = await ZooKeeperServer.StartAsync();
        (Cluster, Redis) = await ZooKeeperRingCluster.StartBootstrappedAsync(ZooKeeper.Endpoint, null, 3);
        Proxy = await Cluster.StartProxyAsync("--anti-entropy-interval-s", "0");
        await RingCluster.WaitForRingAsync(Proxy, r => r.Count == 3 && r.Values.All(s => s == "up"), "three nodes up in the proxy");
        for (var i = 0; i < Keys; i++)
        {
            Assert.Equal("+OK\r\n", await RawRedis.CommandAsync(Proxy.Port, "SET", "k" + i, "v" + i));
        }

        // The proxy's announcement under proxies/ (status lists it).
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while ((await Cluster.Admin.GetChildrenAsync(Cluster.Layout.Proxies)).Children.Count == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }
    }

    public Task<ToolProcess.Result> RunAsync(params string[] arguments) => RingctlProcess.RunAsync([.. arguments, .. Target], ZooKeeperRingCluster.ClusterAuth);

    public static NodeAddress AddressOf(RedisServer redis) => ZooKeeperRingCluster.AddressOf(redis);

    public async Task DisposeAsync()
    {
        if (Cluster is not null)
        {
            await Cluster.DisposeAsync();
        }

        if (_zooKeeper is not null)
        {
            await _zooKeeper.DisposeAsync();
        }
    }
}
