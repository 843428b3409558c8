using RedisRing.Membership;
using RedisRing.Testing;
using Xunit.Abstractions;

namespace RedisRing.RedisPatch.Tests.Integration;

/// <summary>Only a master is a node, as the registrar's health rule says (role:master).</summary>
[Collection(ZooKeeperCollection.Name)]
public sealed class ReplicaTests(ZooKeeperServerFixture zk, ITestOutputHelper output)
{
    [Fact]
    public async Task Server_that_becomes_a_replica_leaves_the_ring_and_returns_joining_when_master_again()
    {
        await using var cluster = await PatchCluster.CreateAsync(zk.Server, output);
        var master = await cluster.StartPatchedWithAsync();
        var redis = await cluster.StartPatchedAsync();
        await cluster.WaitForNodeAsync(redis.Port, n => n is not null, "registration");

        Assert.Equal("+OK", (await redis.CommandAsync("REPLICAOF", "127.0.0.1", master.Port.ToString(System.Globalization.CultureInfo.InvariantCulture))).TrimEnd());
        await cluster.WaitForNodeAsync(redis.Port, n => n is null, "removal on REPLICAOF");
        Assert.Equal("0", (await redis.InfoAsync("zookeeper"))["zookeeper_registered"]);

        Assert.Equal("+OK", (await redis.CommandAsync("REPLICAOF", "NO", "ONE")).TrimEnd());
        await cluster.WaitForNodeAsync(redis.Port, n => n?.State == NodeState.Joining, "registration as master again");
    }
}
