using RedisRing.Membership;
using RedisRing.Testing;
using Xunit.Abstractions;

namespace RedisRing.RedisPatch.Tests.Integration;

/// <summary>ZooKeeper going away under a registered server (a ZooKeeper of the test's own).</summary>
public sealed class OutageTests(ITestOutputHelper output)
{
    [Fact]
    public async Task ZooKeeper_outage_shows_in_info_while_the_server_keeps_serving_and_the_node_is_back_after_it()
    {
        await using var zookeeper = await ZooKeeperServer.StartAsync(output);
        await using var cluster = await PatchCluster.CreateAsync(zookeeper, output);
        var redis = await cluster.StartPatchedAsync(null, "--zookeeper-session-timeout", "10000");
        await cluster.WaitForNodeAsync(redis.Port, n => n is not null, "registration");
        await RegistrationTests.WaitForInfoAsync(redis, "zookeeper_registered", "1");

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

        // Back on the same session (its node survived) or, if it expired meanwhile, a new one
        // (the node created again, joining): either way it is registered again.
        await zookeeper.StartAsync();
        await RegistrationTests.WaitForInfoAsync(redis, "zookeeper_connected", "1");
        await RegistrationTests.WaitForInfoAsync(redis, "zookeeper_registered", "1");
        // Read with a new client: the test's operator session may have expired during the outage.
        await using var reader = await PatchCluster.ConnectAsync(zookeeper, PatchCluster.Cluster);
        var path = cluster.Layout.Node(PatchCluster.AddressOf(redis.Port));
        deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (await reader.ExistsAsync(path) is null)
        {
            Assert.True(DateTime.UtcNow < deadline, "the node did not come back after the outage");
            await Task.Delay(50);
        }

        var (data, _) = await reader.GetDataAsync(path);
        Assert.True(NodeRecord.TryParse(PatchCluster.AddressOf(redis.Port).ToString(), data, out var record, out var error), error);
        Assert.Equal(NodeState.Joining, record.State);
    }
}
