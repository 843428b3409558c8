using RedisRing.Membership;
using RedisRing.Testing;
using Xunit.Abstractions;

namespace RedisRing.Registrar.Tests.Integration;

/// <summary>What the registrar writes as its Redis is healthy, killed, paused or restarted: the member keeps its place, liveness follows health.</summary>
[Collection(ZooKeeperCollection.Name)]
public sealed class HealthTests(ZooKeeperServerFixture zk, ITestOutputHelper output)
{
    [Fact]
    public async Task Healthy_redis_becomes_a_persistent_joining_member_with_its_run_id_and_a_liveness_znode()
    {
        await using var cluster = await ZooKeeperRingCluster.CreateAsync(zk.Server, output);
        var redis = await cluster.StartRedisAsync();
        var address = ZooKeeperRingCluster.AddressOf(redis);
        cluster.StartRegistrar(redis, "--weight", "3");

        await cluster.WaitForLiveAsync(address, l => l is not null, "liveness");
        var record = (await cluster.ReadNodeAsync(address))!;
        Assert.Equal(NodeState.Joining, record.State);
        Assert.Equal(MemberStep.NewNode, record.Reason);
        Assert.Equal(3, record.Weight);
        Assert.Contains("run_id:" + record.RunId, await redis.CommandAsync("INFO", "server"), StringComparison.Ordinal);
        Assert.Equal(record.RunId, (await cluster.ReadLivenessAsync(address))!.RunId);
        var (_, member) = await cluster.Admin.GetDataAsync(cluster.Layout.Node(address));
        var (_, live) = await cluster.Admin.GetDataAsync(cluster.Layout.Liveness(address));
        Assert.Equal(0, member.EphemeralOwner);
        Assert.NotEqual(0, live.EphemeralOwner);
    }

    [Fact]
    public async Task Killed_redis_keeps_its_member_loses_liveness_and_comes_back_joining_with_a_new_run_id()
    {
        await using var cluster = await ZooKeeperRingCluster.CreateAsync(zk.Server, output);
        var redis = await cluster.StartRedisAsync();
        var address = ZooKeeperRingCluster.AddressOf(redis);
        cluster.StartRegistrar(redis);
        await cluster.WaitForLiveAsync(address, l => l is not null, "liveness");
        await cluster.PromoteAsync(address);
        var firstRunId = (await cluster.ReadNodeAsync(address))!.RunId;

        redis.Kill();
        var gone = await cluster.WaitForLiveAsync(address, l => l is null, "liveness gone after kill -9");
        output.WriteLine($"liveness deleted {gone.TotalMilliseconds:0} ms after kill -9 (includes this test's polling)");
        var kept = (await cluster.ReadNodeAsync(address))!;
        Assert.Equal((NodeState.Up, firstRunId), (kept.State, kept.RunId));

        await redis.StartAsync();
        await cluster.WaitForLiveAsync(address, l => l is not null && l.RunId != firstRunId, "liveness with the new run_id");
        var back = (await cluster.ReadNodeAsync(address))!;
        Assert.Equal(NodeState.Joining, back.State);
        Assert.Equal(MemberStep.Restarted, back.Reason);
        Assert.NotEqual(firstRunId, back.RunId);
    }

    [Fact]
    public async Task Redis_restarted_while_ZooKeeper_is_paused_past_the_session_timeout_comes_back_joining_on_a_new_session()
    {
        // A ZooKeeper of its own, to pause it.
        await using var zookeeper = await ZooKeeperServer.StartAsync(output);
        await using var cluster = await ZooKeeperRingCluster.CreateAsync(zookeeper, output);
        var redis = await cluster.StartRedisAsync();
        var address = ZooKeeperRingCluster.AddressOf(redis);
        cluster.StartRegistrar(redis);
        await cluster.WaitForLiveAsync(address, l => l is not null, "liveness");
        await cluster.PromoteAsync(address);
        var firstRunId = (await cluster.ReadNodeAsync(address))!.RunId;

        // The registrar finds Redis gone (it drops the registration, liveness recipe included),
        // then a new run_id whose member step cannot reach ZooKeeper; its session expires on the
        // client side (2 s) while that step keeps failing, so only the registration itself can
        // ask for a new session.
        zookeeper.Signal("STOP");
        try
        {
            redis.Kill();
            await Task.Delay(1000);
            await redis.StartAsync();
            await Task.Delay(4000);
        }
        finally
        {
            zookeeper.Signal("CONT");
        }

        await cluster.WaitForLiveAsync(address, l => l is not null && l.RunId != firstRunId, "liveness with the new run_id after the pause");
        var back = (await cluster.ReadNodeAsync(address))!;
        Assert.Equal(NodeState.Joining, back.State);
        Assert.Equal(MemberStep.Restarted, back.Reason);
        Assert.Contains("run_id:" + back.RunId, await redis.CommandAsync("INFO", "server"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Redis_killed_during_a_ZooKeeper_pause_shorter_than_the_session_loses_its_liveness_once_ZooKeeper_is_back()
    {
        // The registrar's session (4 s) outlives the 1.5 s pause, so the liveness znode is still
        // its own afterwards and nobody's expiry will delete it: the registrar must, or a dead
        // node would look live for as long as the registrar runs.
        await using var zookeeper = await ZooKeeperServer.StartAsync(output);
        await using var cluster = await ZooKeeperRingCluster.CreateAsync(zookeeper, output);
        var redis = await cluster.StartRedisAsync();
        var address = ZooKeeperRingCluster.AddressOf(redis);
        var registrar = cluster.StartRegistrar(redis, "--session-timeout-ms", "4000");
        await cluster.WaitForLiveAsync(address, l => l is not null, "liveness");

        zookeeper.Signal("STOP");
        try
        {
            redis.Kill();
            await Task.Delay(1500);
        }
        finally
        {
            zookeeper.Signal("CONT");
        }

        var gone = await cluster.WaitForLiveAsync(address, l => l is null, "liveness deleted after the pause", TimeSpan.FromSeconds(10));
        output.WriteLine($"liveness gone {gone.TotalMilliseconds:F0} ms after SIGCONT");

        // Deleted by the registrar on the session that held it, not by an expiry; the member stays.
        Assert.DoesNotContain("-> Expired", registrar.ReadLog(), StringComparison.Ordinal);
        Assert.Equal(NodeState.Joining, (await cluster.ReadNodeAsync(address))!.State);
    }

    [Fact]
    public async Task Paused_redis_loses_liveness_after_the_unhealthy_time_and_returns_up_with_the_same_run_id()
    {
        await using var cluster = await ZooKeeperRingCluster.CreateAsync(zk.Server, output);
        var redis = await cluster.StartRedisAsync();
        var address = ZooKeeperRingCluster.AddressOf(redis);
        cluster.StartRegistrar(redis);
        await cluster.WaitForLiveAsync(address, l => l is not null, "liveness");
        await cluster.PromoteAsync(address);
        var (_, before) = await cluster.Admin.GetDataAsync(cluster.Layout.Node(address));

        redis.Signal("STOP");
        try
        {
            await cluster.WaitForLiveAsync(address, l => l is null, "liveness gone while paused", TimeSpan.FromSeconds(10));
        }
        finally
        {
            redis.Signal("CONT");
        }

        // Same process, same run_id, same data: the writes it missed are the proxies' hints, not a reason to leave `up`.
        await cluster.WaitForLiveAsync(address, l => l is not null, "liveness after SIGCONT");
        var (_, after) = await cluster.Admin.GetDataAsync(cluster.Layout.Node(address));
        Assert.Equal(NodeState.Up, (await cluster.ReadNodeAsync(address))!.State);
        Assert.Equal((before.CreatedZxid, before.Version), (after.CreatedZxid, after.Version));
    }

    [Fact]
    public async Task Short_hiccup_below_the_unhealthy_time_keeps_the_liveness_znode()
    {
        await using var cluster = await ZooKeeperRingCluster.CreateAsync(zk.Server, output);
        var redis = await cluster.StartRedisAsync();
        var address = ZooKeeperRingCluster.AddressOf(redis);
        cluster.StartRegistrar(redis, "--unhealthy-after-ms", "5000");
        await cluster.WaitForLiveAsync(address, l => l is not null, "liveness");
        var (_, before) = await cluster.Admin.GetDataAsync(cluster.Layout.Liveness(address));

        redis.Signal("STOP");
        await Task.Delay(1500);
        redis.Signal("CONT");
        await Task.Delay(500);

        var (_, after) = await cluster.Admin.GetDataAsync(cluster.Layout.Liveness(address));
        Assert.Equal(before.CreatedZxid, after.CreatedZxid);
    }

    [Fact]
    public async Task Member_deleted_while_the_node_is_live_is_created_again_as_joining()
    {
        await using var cluster = await ZooKeeperRingCluster.CreateAsync(zk.Server, output);
        var redis = await cluster.StartRedisAsync();
        var address = ZooKeeperRingCluster.AddressOf(redis);
        cluster.StartRegistrar(redis);
        await cluster.WaitForLiveAsync(address, l => l is not null, "liveness");
        await cluster.PromoteAsync(address);
        var (_, first) = await cluster.Admin.GetDataAsync(cluster.Layout.Node(address));

        await ClusterAdmin.RemoveAsync(cluster.Admin, cluster.Layout, address);

        var took = await cluster.WaitForNodeAsync(address, n => n is not null, "member created again", TimeSpan.FromSeconds(10));
        output.WriteLine($"member back {took.TotalMilliseconds:0} ms after its removal");
        var (_, again) = await cluster.Admin.GetDataAsync(cluster.Layout.Node(address));
        Assert.NotEqual(first.CreatedZxid, again.CreatedZxid);
        Assert.Equal(NodeState.Joining, (await cluster.ReadNodeAsync(address))!.State);
    }
}
