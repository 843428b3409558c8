using System.Diagnostics;
using RedisRing.Membership;
using RedisRing.Testing;
using Xunit.Abstractions;

namespace RedisRing.RedisPatch.Tests.Integration;

/// <summary>How a patched server leaves the ring and comes back.</summary>
[Collection(ZooKeeperCollection.Name)]
public sealed class LeavingTests(ZooKeeperServerFixture zk, ITestOutputHelper output)
{
    [Fact]
    public async Task Shutdown_removes_the_node_at_once_rather_than_at_session_timeout()
    {
        await using var cluster = await PatchCluster.CreateAsync(zk.Server, output);
        // A long session timeout: only an explicit delete can remove the node quickly.
        var redis = await cluster.StartPatchedAsync(null, "--zookeeper-session-timeout", "20000");
        await cluster.WaitForNodeAsync(redis.Port, n => n is not null, "registration");
        await RegistrationTests.WaitForInfoAsync(redis, "zookeeper_registered", "1");

        var watch = Stopwatch.StartNew();
        await redis.ShutdownAsync();
        await cluster.WaitForNodeAsync(redis.Port, n => n is null, "removal on SHUTDOWN", TimeSpan.FromSeconds(10));
        output.WriteLine($"SHUTDOWN to node removed: {watch.ElapsedMilliseconds} ms");
        Assert.Contains("ZooKeeper: removing", redis.ReadLog(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Killed_servers_node_goes_at_session_timeout_and_a_restart_returns_joining_with_a_new_run_id()
    {
        await using var cluster = await PatchCluster.CreateAsync(zk.Server, output);
        var redis = await cluster.StartPatchedAsync(null, "--zookeeper-session-timeout", "2000");
        await cluster.WaitForNodeAsync(redis.Port, n => n is not null, "registration");
        await ClusterAdmin.PromoteAsync(cluster.Admin, cluster.Layout, PatchCluster.AddressOf(redis.Port));
        var before = (await cluster.ReadNodeAsync(redis.Port))!;
        Assert.Equal(NodeState.Up, before.State);

        var watch = Stopwatch.StartNew();
        redis.Kill();
        // Nothing deletes it: it is still there until ZooKeeper expires the session.
        Assert.NotNull(await cluster.ReadNodeAsync(redis.Port));
        await cluster.WaitForNodeAsync(redis.Port, n => n is null, "removal at session timeout");
        output.WriteLine($"kill -9 to node removed: {watch.ElapsedMilliseconds} ms (session timeout 2000 ms)");

        await redis.StartAsync();
        await cluster.WaitForNodeAsync(redis.Port, n => n is not null, "registration after restart");
        var after = (await cluster.ReadNodeAsync(redis.Port))!;
        Assert.Equal(NodeState.Joining, after.State);
        Assert.NotEqual(before.RunId, after.RunId);
    }

    [Fact]
    public async Task Server_restarted_before_its_old_session_expired_waits_it_out_and_never_overwrites_the_old_node()
    {
        await using var cluster = await PatchCluster.CreateAsync(zk.Server, output);
        var redis = await cluster.StartPatchedAsync(null, "--zookeeper-session-timeout", "4000");
        await cluster.WaitForNodeAsync(redis.Port, n => n is not null, "registration");
        var old = (await cluster.ReadNodeAsync(redis.Port))!;

        redis.Kill();
        await redis.StartAsync();
        var runId = (await redis.InfoAsync("server"))["run_id"];
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (!(await redis.InfoAsync("zookeeper"))["zookeeper_last_error"].Contains("held by another session", StringComparison.Ordinal))
        {
            Assert.True(DateTime.UtcNow < deadline, "INFO never said the node is held by another session");
            // Meanwhile the old node is left alone (or already gone with its session).
            var current = await cluster.ReadNodeAsync(redis.Port);
            Assert.True(current is null || current.RunId == old.RunId, $"the old node was overwritten: {current}");
            await Task.Delay(20);
        }

        await cluster.WaitForNodeAsync(redis.Port, n => n?.RunId == runId, "registration once the old session expired");
        Assert.Equal(NodeState.Joining, (await cluster.ReadNodeAsync(redis.Port))!.State);
    }

    [Fact]
    public async Task After_its_session_expired_the_promoted_server_registers_again_as_joining_on_a_new_session()
    {
        await using var cluster = await PatchCluster.CreateAsync(zk.Server, output);
        var redis = await cluster.StartPatchedAsync(null, "--zookeeper-session-timeout", "1000");
        await cluster.WaitForNodeAsync(redis.Port, n => n is not null, "registration");
        await ClusterAdmin.PromoteAsync(cluster.Admin, cluster.Layout, PatchCluster.AddressOf(redis.Port));
        await RegistrationTests.WaitForInfoAsync(redis, "zookeeper_state", "up");
        var firstSession = (await redis.InfoAsync("zookeeper"))["zookeeper_session_id"];

        // Frozen (its ZooKeeper client threads too) for longer than the session timeout: the
        // session expires on the server and the node goes with it.
        redis.Signal("STOP");
        try
        {
            await cluster.WaitForNodeAsync(redis.Port, n => n is null, "removal while frozen");
        }
        finally
        {
            redis.Signal("CONT");
        }

        await cluster.WaitForNodeAsync(redis.Port, n => n?.State == NodeState.Joining, "registration on a new session");
        await RegistrationTests.WaitForInfoAsync(redis, "zookeeper_state", "joining");
        Assert.NotEqual(firstSession, (await redis.InfoAsync("zookeeper"))["zookeeper_session_id"]);
        Assert.Contains("expired", redis.ReadLog(), StringComparison.Ordinal);
    }
}
