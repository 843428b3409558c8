using System.Collections.Concurrent;
using System.Diagnostics;
using RedisRing.Membership;
using RedisRing.Ring;
using RedisRing.Testing;
using Xunit.Abstractions;

namespace RedisRing.Proxy.Tests.ZooKeeperMode;

/// <summary>
/// Node failures with membership in ZooKeeper and several proxies: reads never fail, a node that
/// comes back re-enters as joining and is never read from, ZooKeeper outages cost no service.
/// </summary>
[Collection(ZooKeeperCollection.Name)]
public sealed class MembershipFailureTests(ZooKeeperServerFixture zk, ITestOutputHelper output)
{
    private static string Bulk(string value) => $"${value.Length}\r\n{value}\r\n";

    private static bool Lacks(IReadOnlyDictionary<string, string> ring, RedisServer redis) => !ring.ContainsKey(redis.Endpoint);

    [Fact]
    public async Task Killing_a_node_under_load_fails_no_read_on_either_proxy_and_both_drop_it()
    {
        var (cluster, redis) = await ZooKeeperRingCluster.StartBootstrappedAsync(zk.Server.Endpoint, output, 3);
        await using var _ = cluster;
        ProxyProcess[] proxies = [await cluster.StartProxyAsync(), await cluster.StartProxyAsync()];
        foreach (var proxy in proxies)
        {
            await ZooKeeperRingCluster.WaitForRingAsync(proxy, r => r.Count == 3, "three nodes");
        }

        var acknowledged = new ConcurrentDictionary<string, string>();
        var failures = new ConcurrentBag<string>();
        long reads = 0;
        using var stop = new CancellationTokenSource();

        // Each worker writes through one proxy and reads back through the other.
        async Task Worker(int worker)
        {
            await using var writer = await RespConnection.ConnectAsync(proxies[worker % 2].Port);
            await using var reader = await RespConnection.ConnectAsync(proxies[(worker + 1) % 2].Port);
            var random = new Random(worker);
            var written = new List<string>();
            for (var seq = 0; !stop.IsCancellationRequested; seq++)
            {
                var key = $"w{worker}:{seq}";
                var reply = await writer.CommandAsync("SET", key, "v" + seq);
                if (reply != "+OK\r\n")
                {
                    failures.Add($"SET {key}: {reply.Trim()}");
                    continue;
                }

                acknowledged[key] = "v" + seq;
                written.Add(key);
                var readKey = written[random.Next(written.Count)];
                var got = await reader.CommandAsync("GET", readKey);
                Interlocked.Increment(ref reads);
                if (got != Bulk(acknowledged[readKey]))
                {
                    failures.Add($"GET {readKey}: {got.Trim()}");
                }
            }
        }

        var workers = Enumerable.Range(0, 4).Select(Worker).ToArray();
        await Task.Delay(500);
        var killed = Stopwatch.StartNew();
        redis[1].Kill();
        var dropped = await Task.WhenAll(proxies.Select(p => ZooKeeperRingCluster.WaitForRingAsync(p, r => Lacks(r, redis[1]), "dropping the killed node")));
        output.WriteLine($"killed node left both proxies' rings after {killed.ElapsedMilliseconds} ms (per proxy: {string.Join(", ", dropped.Select(d => d.TotalMilliseconds.ToString("F0")))} ms of polling)");
        await Task.Delay(500);
        await stop.CancelAsync();
        await Task.WhenAll(workers);

        Assert.True(reads > 100, $"only {reads} reads ran");
        Assert.True(failures.IsEmpty, string.Join("\n", failures.Take(20)));
        foreach (var (key, value) in acknowledged)
        {
            Assert.Equal(Bulk(value), await RawRedis.CommandAsync(proxies[0].Port, "GET", key));
        }
    }

    [Fact]
    public async Task Redis_restarted_empty_reenters_as_joining_and_no_read_misses_a_key()
    {
        var (cluster, redis) = await ZooKeeperRingCluster.StartBootstrappedAsync(zk.Server.Endpoint, output, 3);
        await using var _ = cluster;
        var proxy = await cluster.StartProxyAsync();
        await ZooKeeperRingCluster.WaitForRingAsync(proxy, r => r.Count == 3, "three nodes");
        for (var i = 0; i < 300; i++)
        {
            Assert.Equal("+OK\r\n", await RawRedis.CommandAsync(proxy.Port, "SET", "k" + i, "v" + i));
        }

        redis[0].Kill();
        await ZooKeeperRingCluster.WaitForRingAsync(proxy, r => Lacks(r, redis[0]), "dropping the killed node");
        await redis[0].StartAsync();
        await ZooKeeperRingCluster.WaitForRingAsync(proxy, r => r.GetValueOrDefault(redis[0].Endpoint) == "joining", "the restarted node re-entering as joining");
        Assert.Equal(NodeState.Joining, (await cluster.ReadNodeAsync(ZooKeeperRingCluster.AddressOf(redis[0])))!.State);

        // The restarted node is empty; its keys are read from the copies that kept them.
        Assert.Equal(":0\r\n", await RawRedis.CommandAsync(redis[0].Port, "DBSIZE"));
        for (var i = 0; i < 300; i++)
        {
            Assert.Equal(Bulk("v" + i), await RawRedis.CommandAsync(proxy.Port, "GET", "k" + i));
        }
    }

    [Fact]
    public async Task Paused_node_reenters_as_joining_and_no_client_reads_the_value_it_missed()
    {
        var (cluster, redis) = await ZooKeeperRingCluster.StartBootstrappedAsync(zk.Server.Endpoint, output, 3);
        await using var _ = cluster;
        var proxy = await cluster.StartProxyAsync();
        await ZooKeeperRingCluster.WaitForRingAsync(proxy, r => r.Count == 3, "three nodes");
        var ring = HashRing.Create(redis.Select(r => RingNode.FromEndpoint("127.0.0.1", r.Port)).ToList(), new RingOptions { Replicas = 2 });
        // Varied keys (short similar keys cluster under fnv1a) whose primary is the node to pause.
        var random = new Random(11);
        var held = Enumerable.Range(0, 20_000).Select(_ => "p" + random.NextInt64().ToString("x"))
            .Where(k => ring.Locate(System.Text.Encoding.UTF8.GetBytes(k)).Primary == 0).Take(40).ToList();
        Assert.NotEmpty(held);
        foreach (var key in held)
        {
            Assert.Equal("+OK\r\n", await RawRedis.CommandAsync(proxy.Port, "SET", key, "old"));
        }

        redis[0].Signal("STOP");
        try
        {
            await ZooKeeperRingCluster.WaitForRingAsync(proxy, r => Lacks(r, redis[0]), "dropping the paused node");
            foreach (var key in held)
            {
                Assert.Equal("+OK\r\n", await RawRedis.CommandAsync(proxy.Port, "SET", key, "new"));
            }
        }
        finally
        {
            redis[0].Signal("CONT");
        }

        await ZooKeeperRingCluster.WaitForRingAsync(proxy, r => r.GetValueOrDefault(redis[0].Endpoint) == "joining", "the paused node re-entering as joining");
        // The node still holds the values it had before the pause ...
        var stale = 0;
        foreach (var key in held)
        {
            stale += await RawRedis.CommandAsync(redis[0].Port, "GET", key) == Bulk("old") ? 1 : 0;
        }

        Assert.True(stale > 0, "the paused node should have missed the writes made while it was out of the ring");
        // ... and no client reads them.
        foreach (var key in held)
        {
            Assert.Equal(Bulk("new"), await RawRedis.CommandAsync(proxy.Port, "GET", key));
        }
    }

    [Fact]
    public async Task Killed_registrars_node_leaves_after_the_session_timeout_and_returns_with_it()
    {
        var (cluster, redis) = await ZooKeeperRingCluster.StartBootstrappedAsync(zk.Server.Endpoint, output, 2);
        await using var _ = cluster;
        var proxy = await cluster.StartProxyAsync();
        await ZooKeeperRingCluster.WaitForRingAsync(proxy, r => r.Count == 2, "two nodes");
        var extra = await cluster.StartRedisAsync();
        var registrar = cluster.StartRegistrar(extra);
        await ZooKeeperRingCluster.WaitForRingAsync(proxy, r => r.ContainsKey(extra.Endpoint), "the third node");

        registrar.Kill();
        var left = await ZooKeeperRingCluster.WaitForRingAsync(proxy, r => Lacks(r, extra), "the node leaving with its registrar's session");
        output.WriteLine($"node left {left.TotalMilliseconds:F0} ms after kill -9 of its registrar (session timeout 2000 ms)");
        Assert.True(left >= TimeSpan.FromSeconds(1), $"the node left after {left}, before its registrar's session could expire");

        registrar.Start();
        await ZooKeeperRingCluster.WaitForRingAsync(proxy, r => r.GetValueOrDefault(extra.Endpoint) == "joining", "the node returning as joining");
    }

    [Fact]
    public async Task Proxies_keep_serving_while_ZooKeeper_is_down_and_resync_when_it_is_back()
    {
        await using var zookeeper = await ZooKeeperServer.StartAsync(output);
        var (cluster, redis) = await ZooKeeperRingCluster.StartBootstrappedAsync(zookeeper.Endpoint, output, 2);
        await using var _ = cluster;
        var proxy = await cluster.StartProxyAsync();
        await ZooKeeperRingCluster.WaitForRingAsync(proxy, r => r.Count == 2, "two nodes");

        zookeeper.Kill();
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!(await RawRedis.CommandAsync(proxy.Port, "INFO", "ring")).Contains("zookeeper_connected:0", StringComparison.Ordinal) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        Assert.Contains("zookeeper_connected:0", await RawRedis.CommandAsync(proxy.Port, "INFO", "ring"));
        for (var i = 0; i < 50; i++)
        {
            Assert.Equal("+OK\r\n", await RawRedis.CommandAsync(proxy.Port, "SET", "z" + i, "v" + i));
            Assert.Equal(Bulk("v" + i), await RawRedis.CommandAsync(proxy.Port, "GET", "z" + i));
        }

        Assert.Equal(2, (await ZooKeeperRingCluster.RingOfAsync(proxy))!.Count);

        await zookeeper.StartAsync();
        // Re-synced: a node that registers after the outage shows up in the proxy's ring.
        var extra = await cluster.StartRedisAsync();
        cluster.StartRegistrar(extra);
        await ZooKeeperRingCluster.WaitForRingAsync(proxy, r => r.ContainsKey(extra.Endpoint) && r.Count == 3, "the ring after ZooKeeper came back", TimeSpan.FromSeconds(45));
        Assert.Contains("zookeeper_connected:1", await RawRedis.CommandAsync(proxy.Port, "INFO", "ring"));
    }
}
