using System.Diagnostics;
using RedisRing.Membership.Watching;
using RedisRing.Testing;
using RedisRing.ZooKeeper;
using Xunit.Abstractions;

namespace RedisRing.Membership.Tests.Watching;

/// <summary>The proxies' side of membership: two watchers (as two proxies would run) on real registrars.</summary>
[Collection(ZooKeeperCollection.Name)]
public sealed class MembershipWatcherTests(ZooKeeperServerFixture zk, ITestOutputHelper output)
{
    private static string Ring(MembershipSnapshot snapshot) => string.Join(",", snapshot.Nodes.Select(n => $"{n.Address}={n.State.ToJson()}"));

    private static async Task<TimeSpan> WaitAsync(MembershipWatcher watcher, Func<MembershipSnapshot, bool> condition, string what)
    {
        var watch = Stopwatch.StartNew();
        while (!condition(watcher.Current))
        {
            if (watch.Elapsed > TimeSpan.FromSeconds(20))
            {
                throw new TimeoutException($"{what} did not happen; ring: {Ring(watcher.Current)}");
            }

            await Task.Delay(5);
        }

        return watch.Elapsed;
    }

    private static async Task<(RedisServer[] Redis, ZooKeeperRingCluster Cluster)> StartThreeNodeClusterAsync(ZooKeeperServer server, ITestOutputHelper output)
    {
        var redis = new RedisServer[3];
        for (var i = 0; i < 3; i++)
        {
            redis[i] = await RedisServer.StartAsync(output);
        }

        var cluster = await ZooKeeperRingCluster.CreateAsync(server, output, redis.Select(ZooKeeperRingCluster.AddressOf).ToArray());
        foreach (var r in redis)
        {
            cluster.StartRegistrar(r);
        }

        foreach (var r in redis)
        {
            await cluster.WaitForNodeAsync(ZooKeeperRingCluster.AddressOf(r), n => n?.State == NodeState.Up, "bootstrap");
        }

        return (redis, cluster);
    }

    private static async Task<(ZooKeeperClient Client, MembershipWatcher Watcher)> WatchAsync(ZooKeeperServer server, ClusterLayout layout)
    {
        var client = await ZooKeeperRingCluster.ConnectAsync(server, ZooKeeperRingCluster.ProxyCredential);
        return (client, await MembershipWatcher.StartAsync(client, layout));
    }

    [Fact]
    public async Task Two_proxies_see_the_same_ring_and_both_see_a_fourth_node_join()
    {
        var (redis, cluster) = await StartThreeNodeClusterAsync(zk.Server, output);
        await using var _ = cluster;
        var (clientA, a) = await WatchAsync(zk.Server, cluster.Layout);
        var (clientB, b) = await WatchAsync(zk.Server, cluster.Layout);
        await using (clientA)
        await using (clientB)
        await using (a)
        await using (b)
        {
            Assert.Equal(3, a.Current.ReadNodes.Count);
            Assert.Equal(Ring(a.Current), Ring(b.Current));
            Assert.Equal(2, a.Current.Config?.Replicas);

            var fourth = await cluster.StartRedisAsync();
            cluster.StartRegistrar(fourth);
            var address = ZooKeeperRingCluster.AddressOf(fourth).ToString();
            await WaitAsync(a, s => s.Nodes.Count == 4, "4th node in proxy A");
            await WaitAsync(b, s => s.Nodes.Count == 4, "4th node in proxy B");
            Assert.Equal(Ring(a.Current), Ring(b.Current));
            Assert.Contains(a.Current.Nodes, n => n.Address.ToString() == address && n.State == NodeState.Joining);
            Assert.DoesNotContain(a.Current.ReadNodes, n => n.Address.ToString() == address);
        }

        foreach (var r in redis)
        {
            await r.DisposeAsync();
        }
    }

    [Fact]
    public async Task Killed_redis_leaves_both_proxies_rings()
    {
        var (redis, cluster) = await StartThreeNodeClusterAsync(zk.Server, output);
        await using var _ = cluster;
        var (clientA, a) = await WatchAsync(zk.Server, cluster.Layout);
        var (clientB, b) = await WatchAsync(zk.Server, cluster.Layout);
        await using (clientA)
        await using (clientB)
        await using (a)
        await using (b)
        {
            var victim = ZooKeeperRingCluster.AddressOf(redis[1]);
            var killed = Stopwatch.StartNew();
            redis[1].Kill();
            var inA = WaitAsync(a, s => s.Nodes.All(n => n.Address != victim), "drop in proxy A");
            var inB = WaitAsync(b, s => s.Nodes.All(n => n.Address != victim), "drop in proxy B");
            await Task.WhenAll(inA, inB);
            output.WriteLine($"kill -9 to both rings without the node: {killed.ElapsedMilliseconds} ms");
            Assert.Equal(2, a.Current.ReadNodes.Count);
            Assert.Equal(Ring(a.Current), Ring(b.Current));
        }

        foreach (var r in redis)
        {
            await r.DisposeAsync();
        }
    }

    [Fact]
    public async Task Bad_node_znodes_are_ignored_and_the_ring_stays_valid()
    {
        var (redis, cluster) = await StartThreeNodeClusterAsync(zk.Server, output);
        await using var _ = cluster;
        var (client, watcher) = await WatchAsync(zk.Server, cluster.Layout);
        await using (client)
        await using (watcher)
        {
            var before = Ring(watcher.Current);
            var acl = (await cluster.Admin.GetAclAsync(cluster.Layout.Nodes)).Acl;
            await cluster.Admin.CreateAsync(cluster.Layout.Nodes + "/127.0.0.1:1", "not json"u8.ToArray(), CreateMode.Ephemeral, acl);
            await cluster.Admin.CreateAsync(cluster.Layout.Nodes + "/127.0.0.1:2", """{"version":1,"address":"127.0.0.1:2","state":"dancing"}"""u8.ToArray(), CreateMode.Ephemeral, acl);
            await cluster.Admin.CreateAsync(cluster.Layout.Nodes + "/bad host:3", """{"version":1,"address":"bad host:3","state":"up"}"""u8.ToArray(), CreateMode.Ephemeral, acl);
            await WaitAsync(watcher, s => s.Rejected.Count == 3, "three rejected znodes");
            Assert.Equal(before, Ring(watcher.Current));
            Assert.Equal(3, watcher.Current.ReadNodes.Count);
        }

        foreach (var r in redis)
        {
            await r.DisposeAsync();
        }
    }

    [Fact]
    public async Task Stopped_ZooKeeper_keeps_the_last_ring_and_the_proxy_resyncs_when_it_is_back()
    {
        await using var server = await ZooKeeperServer.StartAsync(output);
        var (redis, cluster) = await StartThreeNodeClusterAsync(server, output);
        await using var _ = cluster;
        var (client, watcher) = await WatchAsync(server, cluster.Layout);
        await using (client)
        await using (watcher)
        {
            var before = Ring(watcher.Current);
            server.Kill();
            var watch = Stopwatch.StartNew();
            while (watcher.IsConnected && watch.Elapsed < TimeSpan.FromSeconds(10))
            {
                await Task.Delay(20);
            }

            Assert.False(watcher.IsConnected);
            await Task.Delay(1000);
            Assert.Equal(before, Ring(watcher.Current));
            Assert.Equal(3, watcher.Current.ReadNodes.Count);

            await server.StartAsync();
            var fourth = await cluster.StartRedisAsync();
            cluster.StartRegistrar(fourth);
            await WaitAsync(watcher, s => s.Nodes.Any(n => n.Address == ZooKeeperRingCluster.AddressOf(fourth)), "re-sync after ZooKeeper is back");
            Assert.True(watcher.IsConnected);
            await WaitAsync(watcher, s => s.Nodes.Count == 4, "all four nodes registered again");
        }

        foreach (var r in redis)
        {
            await r.DisposeAsync();
        }
    }

    [Fact]
    public async Task Proxy_announces_itself_under_proxies_with_the_proxy_credential()
    {
        await using var cluster = await ZooKeeperRingCluster.CreateAsync(zk.Server, output);
        await using var client = await ZooKeeperRingCluster.ConnectAsync(zk.Server, ZooKeeperRingCluster.ProxyCredential);
        await using (var registration = await ProxyAnnouncement.StartAsync(client, cluster.Layout, new NodeAddress("127.0.0.1", 6380)))
        {
            Assert.Equal(["127.0.0.1:6380"], (await cluster.Admin.GetChildrenAsync(cluster.Layout.Proxies)).Children);
        }

        Assert.Empty((await cluster.Admin.GetChildrenAsync(cluster.Layout.Proxies)).Children);
    }
}
