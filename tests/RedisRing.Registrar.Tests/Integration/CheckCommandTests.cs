using RedisRing.Testing;
using Xunit.Abstractions;

namespace RedisRing.Registrar.Tests.Integration;

/// <summary>
/// <c>redisring-registrar check</c> against a real cluster (ZooKeeper, three redis-servers with
/// their registrars, a proxy that wrote every key to its owners): healthy copies pass, and
/// divergence planted by hand on single copies is found, named and fails the command.
/// </summary>
[Collection(ZooKeeperCollection.Name)]
public sealed class CheckCommandTests(ZooKeeperServerFixture zk, ITestOutputHelper output)
{
    private static Dictionary<string, string> Environment => new() { ["REDISRING_ZK_AUTH"] = ZooKeeperRingCluster.ClusterAuth };

    [Fact]
    public async Task Check_passes_equal_copies_of_every_type_and_names_a_differing_a_missing_and_a_stray_copy()
    {
        var (cluster, redis) = await ZooKeeperRingCluster.StartBootstrappedAsync(zk.Server.Endpoint, output, 3);
        await using var _ = cluster;
        var proxy = await cluster.StartProxyAsync();
        await ZooKeeperRingCluster.WaitForRingAsync(proxy, r => r.Count == 3 && r.Values.All(s => s == "up"), "three up nodes");
        string[][] writes =
        [
            ["HSET", "hash", "a", "1", "b", "2", "c", "3"],
            ["SADD", "set", "x", "y", "z"],
            ["ZADD", "zset", "1", "one", "2", "two"],
            ["RPUSH", "list", "l1", "l2", "l3"],
            ["XADD", "stream", "1-1", "f", "v"],
            ["PFADD", "hll", "a", "b", "c"],
            ["SETBIT", "bits", "77", "1"],
            ["GEOADD", "geo", "13.361389", "38.115556", "Palermo"],
            ["SET", "ttl", "v", "EX", "600"],
        ];
        foreach (var write in writes)
        {
            Assert.DoesNotContain("-", (await RawRedis.CommandAsync(proxy.Port, write))[..1], StringComparison.Ordinal);
        }

        for (var i = 0; i < 200; i++)
        {
            Assert.Equal("+OK\r\n", await RawRedis.CommandAsync(proxy.Port, "SET", "s" + i, "v" + i));
        }

        var (code, text) = await RunCheckAsync(cluster);
        Assert.True(code == 0, text);
        Assert.Contains("keys: 209; missing on up owners: 0; missing on joining owners: 0; differing: 0; no owner copy: 0; copies not owned: 0", text, StringComparison.Ordinal);

        // One owner's hash rebuilt in another order: equal content, so still equal copies.
        var hashHolders = await HoldersAsync(redis, "hash");
        await hashHolders[0].CommandAsync("DEL", "hash");
        await hashHolders[0].CommandAsync("HSET", "hash", "c", "3", "b", "2", "a", "1");
        (code, text) = await RunCheckAsync(cluster);
        Assert.True(code == 0, text);

        // Planted by hand: another value on one copy, one copy deleted, a copy on a non-owner.
        await (await HoldersAsync(redis, "s1"))[0].CommandAsync("SET", "s1", "changed");
        await (await HoldersAsync(redis, "s2"))[1].CommandAsync("DEL", "s2");
        var strayOn = redis.Except(await HoldersAsync(redis, "s3")).Single();
        await strayOn.CommandAsync("SET", "s3", "v3");

        (code, text) = await RunCheckAsync(cluster);
        Assert.True(code == 1, text);
        Assert.Contains("missing on up owners: 1;", text, StringComparison.Ordinal);
        Assert.Contains("differing: 1;", text, StringComparison.Ordinal);
        Assert.Contains("copies not owned: 1", text, StringComparison.Ordinal);
        Assert.Contains("differing: \"s1\"", text, StringComparison.Ordinal);
        Assert.Contains("missing: \"s2\"", text, StringComparison.Ordinal);
        Assert.Contains($"not owned: \"s3\" on {strayOn.Endpoint}", text, StringComparison.Ordinal);
        Assert.Contains("NOT OK", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_of_a_cluster_that_does_not_exist_exits_2_with_the_reason()
    {
        var (code, text) = await RegistrarProcess.RunCommandAsync(["check", "--zookeeper", zk.Server.Endpoint, "--cluster", "no-such-cluster"], Environment);
        Assert.Equal(2, code);
        Assert.Contains("does not exist", text, StringComparison.Ordinal);
    }

    private async Task<(int Code, string Text)> RunCheckAsync(ZooKeeperRingCluster cluster)
    {
        var result = await RegistrarProcess.RunCommandAsync(["check", "--zookeeper", zk.Server.Endpoint, "--cluster", cluster.Layout.Cluster], Environment);
        output.WriteLine(result.Output);
        return result;
    }

    private static async Task<List<RedisServer>> HoldersAsync(IEnumerable<RedisServer> redis, string key)
    {
        var holders = new List<RedisServer>();
        foreach (var server in redis)
        {
            if (await server.CommandAsync("EXISTS", key) == ":1\r\n")
            {
                holders.Add(server);
            }
        }

        Assert.Equal(2, holders.Count);
        return holders;
    }
}
