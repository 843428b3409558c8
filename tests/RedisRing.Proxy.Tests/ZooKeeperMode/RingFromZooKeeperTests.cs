using RedisRing.Ring;
using RedisRing.Testing;
using RedisRing.ZooKeeper;
using Xunit.Abstractions;

namespace RedisRing.Proxy.Tests.ZooKeeperMode;

/// <summary>The proxy takes its ring from ZooKeeper: registered nodes, their states, the cluster's ring parameters.</summary>
[Collection(ZooKeeperCollection.Name)]
public sealed class RingFromZooKeeperTests(ZooKeeperServerFixture zk, ITestOutputHelper output)
{
    private static string Bulk(string value) => $"${value.Length}\r\n{value}\r\n";

    [Fact]
    public async Task Proxy_serves_the_ring_of_the_registered_nodes_with_two_copies_of_every_key()
    {
        var (cluster, redis) = await ZooKeeperRingCluster.StartBootstrappedAsync(zk.Server.Endpoint, output, 3);
        await using var _ = cluster;
        var proxy = await cluster.StartProxyAsync();
        await ZooKeeperRingCluster.WaitForRingAsync(proxy, r => r.Count == 3 && r.Values.All(s => s == "up"), "three up nodes");

        var info = await RawRedis.CommandAsync(proxy.Port, "INFO", "ring");
        Assert.Contains("ring_source:zookeeper", info);
        Assert.Contains("zookeeper_connected:1", info);
        Assert.Contains("ring_config:cluster", info);

        var ring = HashRing.Create(redis.Select(r => RingNode.FromEndpoint("127.0.0.1", r.Port)).ToList(), new RingOptions { Replicas = 2 });
        for (var i = 0; i < 100; i++)
        {
            Assert.Equal("+OK\r\n", await RawRedis.CommandAsync(proxy.Port, "SET", "k" + i, "v" + i));
        }

        for (var i = 0; i < 100; i++)
        {
            Assert.Equal(Bulk("v" + i), await RawRedis.CommandAsync(proxy.Port, "GET", "k" + i));
            var copies = ring.Locate(System.Text.Encoding.UTF8.GetBytes("k" + i)).Reads;
            Assert.Equal(2, copies.Length);
            foreach (var copy in copies)
            {
                Assert.Equal(Bulk("v" + i), await RawRedis.CommandAsync(redis[copy].Port, "GET", "k" + i));
            }
        }
    }

    [Fact]
    public async Task Two_proxies_show_the_same_ring_and_both_include_a_fourth_node()
    {
        var (cluster, _) = await ZooKeeperRingCluster.StartBootstrappedAsync(zk.Server.Endpoint, output, 3);
        await using var __ = cluster;
        ProxyProcess[] proxies = [await cluster.StartProxyAsync(), await cluster.StartProxyAsync()];
        foreach (var proxy in proxies)
        {
            await ZooKeeperRingCluster.WaitForRingAsync(proxy, r => r.Count == 3 && r.Values.All(s => s == "up"), "three up nodes");
        }

        Assert.Equal(await ZooKeeperRingCluster.RingOfAsync(proxies[0]), await ZooKeeperRingCluster.RingOfAsync(proxies[1]));

        var fourth = await cluster.StartRedisAsync();
        cluster.StartRegistrar(fourth);
        foreach (var proxy in proxies)
        {
            await ZooKeeperRingCluster.WaitForRingAsync(proxy, r => r.Count == 4 && r.GetValueOrDefault(fourth.Endpoint) == "joining", "the fourth node");
        }

        Assert.Equal(await ZooKeeperRingCluster.RingOfAsync(proxies[0]), await ZooKeeperRingCluster.RingOfAsync(proxies[1]));
        // Both proxies place keys alike: what one writes, the other reads.
        for (var i = 0; i < 50; i++)
        {
            Assert.Equal("+OK\r\n", await RawRedis.CommandAsync(proxies[i % 2].Port, "SET", "both" + i, "v" + i));
            Assert.Equal(Bulk("v" + i), await RawRedis.CommandAsync(proxies[(i + 1) % 2].Port, "GET", "both" + i));
        }
    }

    [Fact]
    public async Task Joining_node_gets_writes_but_serves_no_reads_until_promoted()
    {
        var (cluster, redis) = await ZooKeeperRingCluster.StartBootstrappedAsync(zk.Server.Endpoint, output, 3);
        await using var _ = cluster;
        var proxy = await cluster.StartProxyAsync();
        await ZooKeeperRingCluster.WaitForRingAsync(proxy, r => r.Count == 3, "three nodes");

        var joining = await cluster.StartRedisAsync();
        var address = ZooKeeperRingCluster.AddressOf(joining);
        cluster.StartRegistrar(joining);
        await ZooKeeperRingCluster.WaitForRingAsync(proxy, r => r.GetValueOrDefault(address.ToString()) == "joining", "the new node joining");

        // Keys the full ring (joining node included) puts on the new node.
        var full = HashRing.Create([.. redis.Select(r => RingNode.FromEndpoint("127.0.0.1", r.Port)), RingNode.FromEndpoint("127.0.0.1", joining.Port)], new RingOptions { Replicas = 2 });
        // Varied keys: some with the new node as primary, some as replica.
        var asPrimary = VariedKeys.Placed(full, "j", seed: 7, r => r.Primary == 3, 15);
        var asReplica = VariedKeys.Placed(full, "j", seed: 7, r => r.Reads.Skip(1).Contains(3), 15);
        Assert.NotEmpty(asPrimary);
        Assert.NotEmpty(asReplica);
        var keys = asPrimary.Concat(asReplica).ToList();
        foreach (var key in keys)
        {
            Assert.Equal("+OK\r\n", await RawRedis.CommandAsync(proxy.Port, "SET", key, "fresh"));
            // The joining node got the write ...
            Assert.Equal(Bulk("fresh"), await RawRedis.CommandAsync(joining.Port, "GET", key));
            // ... but a value that only it has is never read through the proxy while it joins.
            Assert.Equal("+OK\r\n", await RawRedis.CommandAsync(joining.Port, "SET", key, "stale-on-joining-node"));
            Assert.Equal(Bulk("fresh"), await RawRedis.CommandAsync(proxy.Port, "GET", key));
        }

        await cluster.PromoteAsync(address);
        await ZooKeeperRingCluster.WaitForRingAsync(proxy, r => r.GetValueOrDefault(address.ToString()) == "up", "promotion");
        // Promoted, it is the primary of some of these keys, and serves their reads.
        foreach (var key in asPrimary)
        {
            Assert.Equal(Bulk("stale-on-joining-node"), await RawRedis.CommandAsync(proxy.Port, "GET", key));
        }
    }

    [Fact]
    public async Task Bad_node_znodes_are_ignored_and_the_ring_stays_valid()
    {
        var (cluster, _) = await ZooKeeperRingCluster.StartBootstrappedAsync(zk.Server.Endpoint, output, 2);
        await using var __ = cluster;
        var proxy = await cluster.StartProxyAsync();
        await ZooKeeperRingCluster.WaitForRingAsync(proxy, r => r.Count == 2, "two nodes");

        var acl = (await cluster.Admin.GetAclAsync(cluster.Layout.Nodes)).Acl;
        await cluster.Admin.CreateAsync(cluster.Layout.Nodes + "/127.0.0.1:1", "not json"u8.ToArray(), CreateMode.Ephemeral, acl);
        await cluster.Admin.CreateAsync(cluster.Layout.Nodes + "/127.0.0.1:2", """{"version":1,"address":"127.0.0.1:2","weight":1,"state":"sideways","runId":"x"}"""u8.ToArray(), CreateMode.Ephemeral, acl);
        await cluster.Admin.CreateAsync(cluster.Layout.Nodes + "/127.0.0.1:3", """{"version":1,"address":"10.9.9.9:3","weight":1,"state":"up","runId":"x"}"""u8.ToArray(), CreateMode.Ephemeral, acl);

        var deadline = DateTime.UtcNow.AddSeconds(20);
        string info;
        do
        {
            info = await RawRedis.CommandAsync(proxy.Port, "INFO", "ring");
            await Task.Delay(50);
        }
        while (!info.Contains("membership_ignored_znodes:3", StringComparison.Ordinal) && DateTime.UtcNow < deadline);

        Assert.Contains("membership_ignored_znodes:3", info);
        Assert.Equal(2, (await ZooKeeperRingCluster.RingOfAsync(proxy))!.Count);
        Assert.Equal("+OK\r\n", await RawRedis.CommandAsync(proxy.Port, "SET", "still", "works"));
        Assert.Equal(Bulk("works"), await RawRedis.CommandAsync(proxy.Port, "GET", "still"));
        Assert.Contains("Ignoring node znode", proxy.ReadLog());
    }

    [Fact]
    public async Task Proxy_announces_itself_under_proxies_and_leaves_on_shutdown()
    {
        var (cluster, _) = await ZooKeeperRingCluster.StartBootstrappedAsync(zk.Server.Endpoint, output, 1);
        await using var __ = cluster;
        var proxy = await cluster.StartProxyAsync();
        var name = "127.0.0.1:" + proxy.Port;
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!(await cluster.Admin.GetChildrenAsync(cluster.Layout.Proxies)).Children.Contains(name) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        Assert.Contains(name, (await cluster.Admin.GetChildrenAsync(cluster.Layout.Proxies)).Children);
        proxy.Signal("TERM");
        Assert.Equal(0, await proxy.WaitForExitAsync(TimeSpan.FromSeconds(20)));
        Assert.DoesNotContain(name, (await cluster.Admin.GetChildrenAsync(cluster.Layout.Proxies)).Children);
    }

    [Fact]
    public async Task Proxy_without_the_proxy_credential_serves_no_ring_and_says_why()
    {
        var (cluster, _) = await ZooKeeperRingCluster.StartBootstrappedAsync(zk.Server.Endpoint, output, 1);
        await using var __ = cluster;
        var proxy = cluster.Own(await ProxyProcess.StartAsync(output, ["--zookeeper", zk.Server.Endpoint, "--cluster", cluster.Layout.Cluster],
            environment: new Dictionary<string, string> { ["REDISRING_ZK_PROXY_AUTH"] = "proxy:wrong-password" }));

        var reply = await RawRedis.CommandAsync(proxy.Port, "SET", "k", "v");
        Assert.StartsWith("-CLUSTERDOWN", reply);
        var info = await RawRedis.CommandAsync(proxy.Port, "INFO", "ring");
        Assert.Contains("ring_nodes:0", info);
        Assert.Contains("zookeeper_last_error:the proxy credential may not read the cluster", info);
        Assert.DoesNotContain("wrong-password", proxy.ReadLog());
    }
}
