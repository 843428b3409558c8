using RedisRing.Testing;

/// <summary>
/// What scripts/run.sh starts, with every default: one ZooKeeper, 3 redis-servers with their
/// registrars (session timeout 4 s), two proxies in ZooKeeper mode; only the down grace period
/// and any extra proxy arguments are the benchmark's choice.
/// </summary>
internal sealed class LocalCluster : IAsyncDisposable
{
    private LocalCluster(ZooKeeperServer zooKeeper, List<RedisServer> redis, ZooKeeperRingCluster cluster, ProxyProcess[] proxies) =>
        (ZooKeeper, Redis, Cluster, Proxies) = (zooKeeper, redis, cluster, proxies);

    public ZooKeeperServer ZooKeeper { get; }

    public List<RedisServer> Redis { get; }

    public ZooKeeperRingCluster Cluster { get; }

    public ProxyProcess[] Proxies { get; }

    public static async Task<LocalCluster> StartAsync(int downGraceSeconds, params string[] proxyArguments)
    {
        var zk = await ZooKeeperServer.StartAsync();
        var redis = new List<RedisServer>();
        for (var i = 0; i < 3; i++)
        {
            redis.Add(await RedisServer.StartAsync());
        }

        var cluster = await ZooKeeperRingCluster.CreateAsync(zk.Endpoint, null, redis.Select(ZooKeeperRingCluster.AddressOf).ToList(), downGraceSeconds: downGraceSeconds);
        foreach (var r in redis)
        {
            cluster.Own(r);
            cluster.Own(RegistrarProcess.Start(null, r.Endpoint, ["--zookeeper", zk.Endpoint, "--cluster", cluster.Layout.Cluster], ZooKeeperRingCluster.ClusterAuth));
        }

        var environment = new Dictionary<string, string> { ["REDISRING_ZK_PROXY_AUTH"] = ZooKeeperRingCluster.ProxyAuth };
        ProxyProcess[] proxies =
        [
            cluster.Own(await ProxyProcess.StartAsync(null, ["--zookeeper", zk.Endpoint, "--cluster", cluster.Layout.Cluster, .. proxyArguments], environment: environment)),
            cluster.Own(await ProxyProcess.StartAsync(null, ["--zookeeper", zk.Endpoint, "--cluster", cluster.Layout.Cluster, .. proxyArguments], environment: environment)),
        ];
        foreach (var proxy in proxies)
        {
            await ZooKeeperRingCluster.WaitForRingAsync(proxy, ring => ring.Count == 3, "3 registered nodes");
        }

        return new LocalCluster(zk, redis, cluster, proxies);
    }

    public async ValueTask DisposeAsync()
    {
        await Cluster.DisposeAsync();
        await ZooKeeper.DisposeAsync();
    }
}
