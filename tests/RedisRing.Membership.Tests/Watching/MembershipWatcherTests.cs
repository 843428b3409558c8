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
            await cluster.WaitForNodeAsync(ZooKeeperRingCluster.AddressOf(r), n => n is { State: NodeState.Up, RunId.Length: > 0 }, "first registration");
            await cluster.WaitForLiveAsync(ZooKeeperRingCluster.AddressOf(r), l => l is not null, "liveness");
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
    public async Task Killed_redis_stays_in_both_proxies_rings_and_shows_as_not_live()
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
            await WaitAsync(a, s => s.Nodes.All(s.IsLive), "every member live in proxy A");
            var version = a.Current.Version;
            var victim = ZooKeeperRingCluster.AddressOf(redis[1]);
            var killed = Stopwatch.StartNew();
            redis[1].Kill();
            var inA = WaitAsync(a, s => s.Nodes.Any(n => n.Address == victim && !s.IsLive(n)), "not live in proxy A");
            var inB = WaitAsync(b, s => s.Nodes.Any(n => n.Address == victim && !s.IsLive(n)), "not live in proxy B");
            await Task.WhenAll(inA, inB);
            output.WriteLine($"kill -9 to both proxies seeing the member not live: {killed.ElapsedMilliseconds} ms");

            // Placement did not change: same members, same states, same ring version.
            Assert.Equal(3, a.Current.ReadNodes.Count);
            Assert.Equal(version, a.Current.Version);
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
    public async Task Stopped_ZooKeeper_keeps_the_last_ring_and_after_it_the_members_are_up_and_live_again()
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
            await WaitAsync(watcher, s => s.Nodes.Count == 4 && s.Nodes.All(s.IsLive), "all four nodes live again");

            // Members are persistent: the three initial ones kept their place and their state.
            Assert.Equal(3, watcher.Current.ReadNodes.Count);
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
