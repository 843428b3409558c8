using System.Diagnostics;
using RedisRing.Membership;
using RedisRing.Testing;
using Xunit.Abstractions;

namespace RedisRing.RedisPatch.Tests.Integration;

/// <summary>ZooKeeper going away under a live server (a ZooKeeper of the test's own): membership is not liveness.</summary>
public sealed class OutageTests(ITestOutputHelper output)
{
    [Fact]
    public async Task ZooKeeper_outage_shows_in_info_while_the_server_keeps_serving_and_it_is_live_again_after_it_with_its_member_still_up()
    {
        await using var zookeeper = await ZooKeeperServer.StartAsync(output);
        await using var cluster = await PatchCluster.CreateAsync(zookeeper, output);
        var redis = await cluster.StartPatchedAsync(null, "--zookeeper-session-timeout", "10000");
        var runId = await RegistrationTests.RunIdAsync(redis);
        var address = PatchCluster.AddressOf(redis.Port);
        await cluster.WaitForLiveAsync(redis.Port, runId, "liveness");
        await ClusterAdmin.PromoteAsync(cluster.Admin, cluster.Layout, address);
        await RegistrationTests.WaitForInfoAsync(redis, "zookeeper_member_state", "up");

        zookeeper.Kill();
        await RegistrationTests.WaitForInfoAsync(redis, "zookeeper_connected", "0");
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (!(await redis.InfoAsync("zookeeper"))["zookeeper_last_error"].Contains("is not reachable", StringComparison.Ordinal))
        {
            Assert.True(DateTime.UtcNow < deadline, "INFO never said ZooKeeper is not reachable");
            await Task.Delay(50);
        }

        Assert.Equal("+OK", (await redis.CommandAsync("SET", "during", "outage")).TrimEnd());
        Assert.Equal("$6\r\noutage", (await redis.CommandAsync("GET", "during")).TrimEnd());

        // Back on the same session (its liveness znode survived) or, if it expired meanwhile, a
        // new one (the liveness znode created again): either way live, and the member untouched.
        await zookeeper.StartAsync();
        await RegistrationTests.WaitForInfoAsync(redis, "zookeeper_connected", "1");
        await RegistrationTests.WaitForInfoAsync(redis, "zookeeper_live", "1");
        // Read with a new client: the test's operator session may have expired during the outage.
        await using var reader = await PatchCluster.ConnectAsync(zookeeper, PatchCluster.Cluster);
        await LivenessReads.WaitForLivenessAsync(reader, cluster.Layout, address, l => l?.Record.RunId == runId, "liveness after the outage");
        await AssertMemberUpAsync(reader, cluster.Layout, address, runId);
        Assert.Equal("up", (await redis.InfoAsync("zookeeper"))["zookeeper_member_state"]);
    }

    [Fact]
    public async Task ZooKeeper_paused_longer_than_the_session_timeout_leaves_the_server_live_again_with_its_member_still_up()
    {
        await using var zookeeper = await ZooKeeperServer.StartAsync(output);
        await using var cluster = await PatchCluster.CreateAsync(zookeeper, output);
        var redis = await cluster.StartPatchedAsync(null, "--zookeeper-session-timeout", "2000");
        var runId = await RegistrationTests.RunIdAsync(redis);
        var address = PatchCluster.AddressOf(redis.Port);
        await cluster.WaitForLiveAsync(redis.Port, runId, "liveness");
        await ClusterAdmin.PromoteAsync(cluster.Admin, cluster.Layout, address);
        await RegistrationTests.WaitForInfoAsync(redis, "zookeeper_member_state", "up");
        var firstSession = (await redis.InfoAsync("zookeeper"))["zookeeper_session_id"];

        // A pause (a long GC, a frozen VM) three times the session timeout: when ZooKeeper runs
        // again it expires the sessions it has not heard from, the server's among them, and every
        // liveness znode goes at once while every Redis is fine.
        var watch = Stopwatch.StartNew();
        zookeeper.Signal("STOP");
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(6));
            Assert.Equal("+PONG", (await redis.CommandAsync("PING")).TrimEnd());
        }
        finally
        {
            zookeeper.Signal("CONT");
        }

        await using var reader = await PatchCluster.ConnectAsync(zookeeper, PatchCluster.Cluster);
        await LivenessReads.WaitForLivenessAsync(reader, cluster.Layout, address, l => l?.Record.RunId == runId, "liveness after the pause");
        await RegistrationTests.WaitForInfoAsync(redis, "zookeeper_live", "1");
        output.WriteLine($"ZooKeeper paused 6 s, live again after {watch.ElapsedMilliseconds} ms (session timeout 2000 ms)");
        var info = await redis.InfoAsync("zookeeper");
        // Whether the session survives is ZooKeeper's race, not the server's: when it runs again,
        // its expirer and the client's reconnect both go at once, and a client that gets in first
        // keeps its session (seen on an idle CI machine, twice in a row). Either way the server
        // must be live again with its member up; a new session must have come from an expiry the
        // server noticed and handled.
        var sessionRenewed = info["zookeeper_session_id"] != firstSession;
        output.WriteLine($"session {(sessionRenewed ? "expired and renewed" : "kept")}: {firstSession} -> {info["zookeeper_session_id"]}");
        if (sessionRenewed)
        {
            Assert.Contains("expired", redis.ReadLog(), StringComparison.Ordinal);
        }

        Assert.Equal("up", info["zookeeper_member_state"]);
        await AssertMemberUpAsync(reader, cluster.Layout, address, runId);
    }

    private static async Task AssertMemberUpAsync(ZooKeeper.ZooKeeperClient reader, ClusterLayout layout, NodeAddress address, string runId)
    {
        var (data, _) = await reader.GetDataAsync(layout.Node(address));
        Assert.True(NodeRecord.TryParse(address.ToString(), data, out var record, out var error), error);
        Assert.Equal(NodeState.Up, record.State);
        Assert.Equal(runId, record.RunId);
    }
}
