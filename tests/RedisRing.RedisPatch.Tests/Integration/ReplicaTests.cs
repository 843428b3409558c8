using System.Globalization;
using RedisRing.Membership;
using RedisRing.Testing;
using Xunit.Abstractions;

namespace RedisRing.RedisPatch.Tests.Integration;

/// <summary>Only a master is live, as the registrar's health rule says (role:master).</summary>
[Collection(ZooKeeperCollection.Name)]
public sealed class ReplicaTests(ZooKeeperServerFixture zk, ITestOutputHelper output)
{
    [Fact]
    public async Task Server_that_becomes_a_replica_deletes_its_liveness_keeps_its_member_and_returns_joining_when_master_again()
    {
        await using var cluster = await PatchCluster.CreateAsync(zk.Server, output);
        var master = await cluster.StartPatchedWithAsync();
        var redis = await cluster.StartPatchedAsync();
        var runId = await RegistrationTests.RunIdAsync(redis);
        await cluster.WaitForLiveAsync(redis.Port, runId, "liveness");
        await ClusterAdmin.PromoteAsync(cluster.Admin, cluster.Layout, PatchCluster.AddressOf(redis.Port));
        var member = (await cluster.ReadNodeAsync(redis.Port))!;
        Assert.Equal(NodeState.Up, member.State);

        Assert.Equal("+OK", (await redis.CommandAsync("REPLICAOF", "127.0.0.1", master.Port.ToString(CultureInfo.InvariantCulture))).TrimEnd());
        await cluster.WaitForLivenessAsync(redis.Port, l => l is null, "liveness deleted on REPLICAOF");
        Assert.Equal(member, await cluster.ReadNodeAsync(redis.Port));
        Assert.Equal("0", (await redis.InfoAsync("zookeeper"))["zookeeper_live"]);

        // Same process, but its dataset is now its master's: the member may not stay up.
        Assert.Equal("+OK", (await redis.CommandAsync("REPLICAOF", "NO", "ONE")).TrimEnd());
        await cluster.WaitForLiveAsync(redis.Port, runId, "liveness as master again");
        var after = (await cluster.ReadNodeAsync(redis.Port))!;
        Assert.Equal(NodeState.Joining, after.State);
        Assert.Equal(runId, after.RunId);
        Assert.Equal("was a replica: its dataset was replaced by a sync", after.Reason);
    }
}
