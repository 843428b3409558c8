using System.Diagnostics;
using RedisRing.Membership;
using RedisRing.Testing;
using Xunit.Abstractions;

namespace RedisRing.RedisPatch.Tests.Integration;

/// <summary>How a patched server stops being live, leaves the ring, and comes back.</summary>
[Collection(ZooKeeperCollection.Name)]
public sealed class LeavingTests(ZooKeeperServerFixture zk, ITestOutputHelper output)
{
    [Fact]
    public async Task Shutdown_deletes_the_liveness_znode_at_once_and_keeps_the_member()
    {
        await using var cluster = await PatchCluster.CreateAsync(zk.Server, output);
        // A long session timeout: only an explicit delete can remove the liveness znode quickly.
        var redis = await cluster.StartPatchedAsync(null, "--zookeeper-session-timeout", "20000");
        var runId = await RegistrationTests.RunIdAsync(redis);
        await cluster.WaitForLiveAsync(redis.Port, runId, "liveness");
        await ClusterAdmin.PromoteAsync(cluster.Admin, cluster.Layout, PatchCluster.AddressOf(redis.Port));
        await RegistrationTests.WaitForInfoAsync(redis, "zookeeper_member_state", "up");
        var member = await cluster.ReadNodeAsync(redis.Port);

        var watch = Stopwatch.StartNew();
        await redis.ShutdownAsync();
        await cluster.WaitForLivenessAsync(redis.Port, l => l is null, "liveness deleted on SHUTDOWN", TimeSpan.FromSeconds(10));
        output.WriteLine($"SHUTDOWN to liveness znode deleted: {watch.ElapsedMilliseconds} ms (session timeout 20000 ms)");
        Assert.Equal(member, await cluster.ReadNodeAsync(redis.Port));
        Assert.Contains("ZooKeeper: not live any more", redis.ReadLog(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Shutdown_with_zookeeper_on_stop_leave_deletes_the_member_too()
    {
        await using var cluster = await PatchCluster.CreateAsync(zk.Server, output);
        var redis = await cluster.StartPatchedAsync(null, "--zookeeper-session-timeout", "20000", "--zookeeper-on-stop", "leave");
        var runId = await RegistrationTests.RunIdAsync(redis);
        await cluster.WaitForLiveAsync(redis.Port, runId, "liveness");
        Assert.Equal("leave", (await redis.InfoAsync("zookeeper"))["zookeeper_on_stop"]);

        var watch = Stopwatch.StartNew();
        await redis.ShutdownAsync();
        await cluster.WaitForNodeAsync(redis.Port, n => n is null, "member deleted on SHUTDOWN", TimeSpan.FromSeconds(10));
        output.WriteLine($"SHUTDOWN to member deleted: {watch.ElapsedMilliseconds} ms (session timeout 20000 ms)");
        await cluster.WaitForLivenessAsync(redis.Port, l => l is null, "liveness deleted on SHUTDOWN", TimeSpan.FromSeconds(10));
        Assert.Contains("ZooKeeper: leaving the ring", redis.ReadLog(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Killed_servers_liveness_goes_at_session_timeout_while_the_member_stays_and_a_restart_returns_joining_with_a_new_run_id()
    {
        await using var cluster = await PatchCluster.CreateAsync(zk.Server, output);
        var redis = await cluster.StartPatchedAsync(null, "--zookeeper-session-timeout", "2000");
        var runId = await RegistrationTests.RunIdAsync(redis);
        await cluster.WaitForLiveAsync(redis.Port, runId, "liveness");
        await ClusterAdmin.PromoteAsync(cluster.Admin, cluster.Layout, PatchCluster.AddressOf(redis.Port));
        var before = (await cluster.ReadNodeAsync(redis.Port))!;
        Assert.Equal(NodeState.Up, before.State);

        var watch = Stopwatch.StartNew();
        redis.Kill();
        // Nothing deletes it: it is still there until ZooKeeper expires the session.
        Assert.NotNull(await cluster.ReadLivenessAsync(redis.Port));
        await cluster.WaitForLivenessAsync(redis.Port, l => l is null, "liveness gone at session timeout");
        output.WriteLine($"kill -9 to liveness znode gone: {watch.ElapsedMilliseconds} ms (session timeout 2000 ms)");
        Assert.Equal(before, await cluster.ReadNodeAsync(redis.Port));

        await redis.StartAsync();
        var newRunId = await RegistrationTests.RunIdAsync(redis);
        await cluster.WaitForLiveAsync(redis.Port, newRunId, "liveness after restart");
        var after = (await cluster.ReadNodeAsync(redis.Port))!;
        Assert.Equal(NodeState.Joining, after.State);
        Assert.Equal(newRunId, after.RunId);
        Assert.Equal(MemberStep.Restarted, after.Reason);
        await RegistrationTests.WaitForInfoAsync(redis, "zookeeper_member_state", "joining");
    }

    [Fact]
    public async Task Server_restarted_before_its_old_session_expired_waits_out_the_old_liveness_znode_and_never_overwrites_it()
    {
        await using var cluster = await PatchCluster.CreateAsync(zk.Server, output);
        var redis = await cluster.StartPatchedAsync(null, "--zookeeper-session-timeout", "4000");
        var oldRunId = await RegistrationTests.RunIdAsync(redis);
        var old = await cluster.WaitForLiveAsync(redis.Port, oldRunId, "liveness");

        redis.Kill();
        await redis.StartAsync();
        var runId = await RegistrationTests.RunIdAsync(redis);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (!(await redis.InfoAsync("zookeeper"))["zookeeper_last_error"].Contains("held by another session", StringComparison.Ordinal))
        {
            Assert.True(DateTime.UtcNow < deadline, "INFO never said the liveness znode is held by another session");
            // Meanwhile the old liveness znode is left alone (or already gone with its session).
            var current = await cluster.ReadLivenessAsync(redis.Port);
            Assert.True(current is null || current == old, $"the old liveness znode was overwritten: {current}");
            await Task.Delay(20);
        }

        // The member already says this is a new process (the old liveness, another run_id, counts as absent).
        Assert.Equal("0", (await redis.InfoAsync("zookeeper"))["zookeeper_live"]);
        var member = (await cluster.ReadNodeAsync(redis.Port))!;
        Assert.Equal(runId, member.RunId);
        Assert.Equal(NodeState.Joining, member.State);

        await cluster.WaitForLiveAsync(redis.Port, runId, "liveness once the old session expired");
        await RegistrationTests.WaitForInfoAsync(redis, "zookeeper_live", "1");
    }

    [Fact]
    public async Task After_its_session_expired_the_promoted_server_comes_back_live_with_its_member_still_up()
    {
        await using var cluster = await PatchCluster.CreateAsync(zk.Server, output);
        var redis = await cluster.StartPatchedAsync(null, "--zookeeper-session-timeout", "1000");
        var runId = await RegistrationTests.RunIdAsync(redis);
        await cluster.WaitForLiveAsync(redis.Port, runId, "liveness");
        await ClusterAdmin.PromoteAsync(cluster.Admin, cluster.Layout, PatchCluster.AddressOf(redis.Port));
        await RegistrationTests.WaitForInfoAsync(redis, "zookeeper_member_state", "up");
        var firstSession = (await redis.InfoAsync("zookeeper"))["zookeeper_session_id"];
        var memberPath = cluster.Layout.Node(PatchCluster.AddressOf(redis.Port));
        var memberVersion = (await cluster.Admin.GetDataAsync(memberPath)).Stat.Version;

        // Frozen (its ZooKeeper client threads too) for longer than the session timeout: the
        // session expires on the server and the liveness znode goes with it.
        var watch = Stopwatch.StartNew();
        redis.Signal("STOP");
        try
        {
            await cluster.WaitForLivenessAsync(redis.Port, l => l is null, "liveness gone while frozen");
        }
        finally
        {
            redis.Signal("CONT");
        }

        var live = await cluster.WaitForLiveAsync(redis.Port, runId, "liveness on a new session");
        output.WriteLine($"frozen to live again: {watch.ElapsedMilliseconds} ms (session timeout 1000 ms)");
        await RegistrationTests.WaitForInfoAsync(redis, "zookeeper_live", "1");
        var info = await redis.InfoAsync("zookeeper");
        Assert.NotEqual(firstSession, info["zookeeper_session_id"]);
        Assert.Equal("0x" + live.Owner.ToString("x", System.Globalization.CultureInfo.InvariantCulture), info["zookeeper_session_id"]);
        Assert.Equal("up", info["zookeeper_member_state"]);
        Assert.Contains("expired", redis.ReadLog(), StringComparison.Ordinal);

        // Same run_id, same data: nothing was written to the member.
        var (data, stat) = await cluster.Admin.GetDataAsync(memberPath);
        Assert.Equal(memberVersion, stat.Version);
        Assert.True(NodeRecord.TryParse(PatchCluster.AddressOf(redis.Port).ToString(), data, out var member, out var error), error);
        Assert.Equal(NodeState.Up, member.State);
        Assert.Equal(runId, member.RunId);
    }
}
