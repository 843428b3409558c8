using System.Text;
using RedisRing.Membership;
using RedisRing.Ring;
using RedisRing.Testing;
using Xunit.Abstractions;

namespace RedisRing.Proxy.Tests.ZooKeeperMode;

/// <summary>
/// Anti-entropy against real servers (docs/consistency.md, "Anti-entropy"): a copy changed or
/// deleted behind the proxies' back is made equal to the key's first readable copy within one
/// period, and copies left on a node that no longer owns them (after a warm-up) are trimmed once
/// the ring has been stable for the grace period, with the bytes freed reported.
/// </summary>
[Collection(ZooKeeperCollection.Name)]
public sealed class AntiEntropyTests(ZooKeeperServerFixture zk, ITestOutputHelper output)
{
    private static string Bulk(string value) => $"${value.Length}\r\n{value}\r\n";

    private static async Task<string> AntiEntropyInfoAsync(ProxyProcess proxy)
    {
        var info = await RawRedis.CommandAsync(proxy.Port, "INFO", "ring");
        return info.Split("\r\n").FirstOrDefault(l => l.StartsWith("repair_anti_entropy:", StringComparison.Ordinal)) ?? "";
    }

    private static long Counter(string info, string name) =>
        info.Split(':', 2).ElementAtOrDefault(1)?.Split(',').Select(p => p.Split('=')).Where(p => p[0] == name).Select(p => long.Parse(p[1], System.Globalization.CultureInfo.InvariantCulture)).FirstOrDefault() ?? 0;

    [Fact]
    public async Task Divergence_planted_by_hand_on_one_copy_is_repaired_from_the_first_readable_copy_within_one_period()
    {
        var (cluster, redis) = await ZooKeeperRingCluster.StartBootstrappedAsync(zk.Server.Endpoint, output, 3);
        await using var _ = cluster;
        var proxy = await cluster.StartProxyAsync("--anti-entropy-interval-s", "1");
        await ZooKeeperRingCluster.WaitForRingAsync(proxy, r => r.Count == 3 && r.Values.All(s => s == "up"), "three up nodes");
        for (var i = 0; i < 300; i++)
        {
            Assert.Equal("+OK\r\n", await RawRedis.CommandAsync(proxy.Port, "SET", "k" + i, "v" + i));
        }

        await RawRedis.CommandAsync(proxy.Port, "HSET", "h", "a", "1", "b", "2");
        var ring = HashRing.Create([.. redis.Select(r => RingNode.FromEndpoint("127.0.0.1", r.Port))], new RingOptions { Replicas = 2, HashTag = "{}" });
        RedisServer Secondary(string key) => redis[ring.Locate(Encoding.UTF8.GetBytes(key)).Writes[1]];

        // Behind the proxy's back: a changed value, a lost copy, a changed field, a lost TTL.
        await Secondary("k1").CommandAsync("SET", "k1", "planted");
        await Secondary("k2").CommandAsync("DEL", "k2");
        await Secondary("h").CommandAsync("HSET", "h", "b", "planted");
        await RawRedis.CommandAsync(proxy.Port, "EXPIRE", "k3", "1000");
        await Secondary("k3").CommandAsync("PERSIST", "k3");

        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (DateTime.UtcNow < deadline)
        {
            if (await Secondary("k1").CommandAsync("GET", "k1") == Bulk("v1") && await Secondary("k2").CommandAsync("GET", "k2") == Bulk("v2")
                && await Secondary("h").CommandAsync("HGET", "h", "b") == Bulk("2") && (await Secondary("k3").CommandAsync("TTL", "k3")).StartsWith(":9", StringComparison.Ordinal))
            {
                break;
            }

            await Task.Delay(200);
        }

        Assert.Equal(Bulk("v1"), await Secondary("k1").CommandAsync("GET", "k1"));
        Assert.Equal(Bulk("v2"), await Secondary("k2").CommandAsync("GET", "k2"));
        Assert.Equal(Bulk("2"), await Secondary("h").CommandAsync("HGET", "h", "b"));
        Assert.StartsWith(":9", await Secondary("k3").CommandAsync("TTL", "k3"), StringComparison.Ordinal);
        var info = await AntiEntropyInfoAsync(proxy);
        output.WriteLine(info);
        Assert.True(Counter(info, "repaired_missing") >= 1, info);
        Assert.True(Counter(info, "repaired_differing") >= 3, info);

        var (code, text) = await cluster.CheckCopiesAsync();
        Assert.True(code == 0, text);
    }

    [Fact]
    public async Task Copies_no_longer_owned_after_a_warm_up_are_trimmed_after_the_grace_period_and_the_bytes_freed_reported()
    {
        var (cluster, redis) = await ZooKeeperRingCluster.StartBootstrappedAsync(zk.Server.Endpoint, output, 3);
        await using var _ = cluster;
        var proxy = await cluster.StartProxyAsync("--anti-entropy-interval-s", "1", "--trim-grace-s", "3");
        await ZooKeeperRingCluster.WaitForRingAsync(proxy, r => r.Count == 3 && r.Values.All(s => s == "up"), "three up nodes");
        const int Keys = 1000;
        for (var i = 0; i < Keys; i++)
        {
            Assert.Equal("+OK\r\n", await RawRedis.CommandAsync(proxy.Port, "SET", "k" + i, "v" + i));
        }

        // While the restarted node is joining, the ring without it places a second copy of its
        // keys elsewhere; writes made then leave copies that node no longer owns after promotion.
        var address = ZooKeeperRingCluster.AddressOf(redis[0]);
        redis[0].Kill();
        await redis[0].StartAsync();
        await cluster.WaitForNodeAsync(address, n => n is { State: NodeState.Joining }, "joining");
        for (var i = 0; i < Keys; i++)
        {
            Assert.Equal("+OK\r\n", await RawRedis.CommandAsync(proxy.Port, "SET", "k" + i, "w" + i));
        }

        await cluster.WaitForNodeAsync(address, n => n is { State: NodeState.Up }, "promotion", TimeSpan.FromSeconds(60));
        var ring = HashRing.Create([.. redis.Select(r => RingNode.FromEndpoint("127.0.0.1", r.Port))], new RingOptions { Replicas = 2, HashTag = "{}" });

        async Task<int> CopiesAsync()
        {
            var total = 0;
            foreach (var server in redis)
            {
                total += int.Parse((await server.CommandAsync("DBSIZE")).Trim()[1..], System.Globalization.CultureInfo.InvariantCulture);
            }

            return total;
        }

        var before = await CopiesAsync();
        output.WriteLine($"{before} copies of {Keys} keys right after the promotion");
        Assert.True(before > 2 * Keys, $"no stray copy to trim ({before})");
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (await CopiesAsync() != 2 * Keys && DateTime.UtcNow < deadline)
        {
            await Task.Delay(250);
        }

        Assert.Equal(2 * Keys, await CopiesAsync());
        for (var i = 0; i < Keys; i++)
        {
            var key = "k" + i;
            foreach (var owner in ring.Locate(Encoding.UTF8.GetBytes(key)).Writes)
            {
                Assert.Equal(Bulk("w" + i), await redis[owner].CommandAsync("GET", key));
            }
        }

        var info = await AntiEntropyInfoAsync(proxy);
        output.WriteLine(info);
        Assert.Equal(before - 2 * Keys, Counter(info, "trimmed_keys"));
        Assert.True(Counter(info, "trimmed_bytes") > 0, info);
    }
    [Fact]
    public async Task Member_down_past_its_grace_period_is_drained_to_its_keys_new_owners_before_it_is_removed()
    {
        var (cluster, redis) = await ZooKeeperRingCluster.StartBootstrappedAsync(zk.Server.Endpoint, output, 4, downGraceSeconds: 3);
        await using var _ = cluster;
        // No anti-entropy: every copy the new owners hold at the removal comes from the drain.
        var proxy = await cluster.StartProxyAsync("--anti-entropy-interval-s", "0");
        await ZooKeeperRingCluster.WaitForRingAsync(proxy, r => r.Count == 4 && r.Values.All(s => s == "up"), "four up nodes");
        const int Keys = 2000;
        for (var i = 0; i < Keys; i++)
        {
            Assert.Equal("+OK\r\n", await RawRedis.CommandAsync(proxy.Port, "SET", "k" + i, "v" + i));
        }

        var address = ZooKeeperRingCluster.AddressOf(redis[3]);
        redis[3].Kill();
        await cluster.WaitForNodeAsync(address, n => n is { State: NodeState.Leaving }, "leaving after the down grace period", TimeSpan.FromSeconds(30));
        var leavingAt = System.Diagnostics.Stopwatch.StartNew();
        await cluster.WaitForNodeAsync(address, n => n is null, "removal after the drain", TimeSpan.FromSeconds(30));
        output.WriteLine($"drained and removed {leavingAt.ElapsedMilliseconds} ms after it became leaving");

        // At the removal, every key is already on both its owners among the three that stay.
        var survivors = redis.Take(3).ToArray();
        var ring = HashRing.Create([.. survivors.Select(r => RingNode.FromEndpoint("127.0.0.1", r.Port))], new RingOptions { Replicas = 2, HashTag = "{}" });
        var missing = 0;
        for (var i = 0; i < Keys; i++)
        {
            foreach (var owner in ring.Locate(Encoding.UTF8.GetBytes("k" + i)).Writes)
            {
                if (await survivors[owner].CommandAsync("EXISTS", "k" + i) != ":1\r\n")
                {
                    missing++;
                }
            }
        }

        Assert.Equal(0, missing);

        // And one more node may fail.
        survivors[0].Kill();
        for (var i = 0; i < Keys; i++)
        {
            Assert.Equal(Bulk("v" + i), await RawRedis.CommandAsync(proxy.Port, "GET", "k" + i));
        }
    }
}
