using RedisRing.Membership;
using RedisRing.Testing;
using Xunit.Abstractions;

namespace RedisRing.Registrar.Tests.Integration;

[Collection(ZooKeeperCollection.Name)]
public sealed class HealthTests(ZooKeeperServerFixture zk, ITestOutputHelper output)
{
    [Fact]
    public async Task Healthy_redis_is_registered_as_joining_with_its_run_id()
    {
        await using var cluster = await ZooKeeperRingCluster.CreateAsync(zk.Server, output);
        var redis = await cluster.StartRedisAsync();
        var address = ZooKeeperRingCluster.AddressOf(redis);
        cluster.StartRegistrar(redis, "--weight", "3");

        await cluster.WaitForNodeAsync(address, n => n is not null, "registration");
        var record = (await cluster.ReadNodeAsync(address))!;
        Assert.Equal(NodeState.Joining, record.State);
        Assert.Equal(3, record.Weight);
        Assert.Contains("run_id:" + record.RunId, await redis.CommandAsync("INFO", "server"), StringComparison.Ordinal);
        var (_, stat) = await cluster.Admin.GetDataAsync(cluster.Layout.Node(address));
        Assert.NotEqual(0, stat.EphemeralOwner);
    }

    [Fact]
    public async Task Killed_redis_loses_its_znode_and_comes_back_empty_as_joining_with_a_new_run_id()
    {
        await using var cluster = await ZooKeeperRingCluster.CreateAsync(zk.Server, output);
        var redis = await cluster.StartRedisAsync();
        var address = ZooKeeperRingCluster.AddressOf(redis);
        cluster.StartRegistrar(redis);
        await cluster.WaitForNodeAsync(address, n => n is not null, "registration");
        var firstRunId = (await cluster.ReadNodeAsync(address))!.RunId;

        redis.Kill();
        var gone = await cluster.WaitForNodeAsync(address, n => n is null, "removal after kill -9");
        output.WriteLine($"znode deleted {gone.TotalMilliseconds:0} ms after kill -9 (includes this test's polling)");

        await redis.StartAsync();
        await cluster.WaitForNodeAsync(address, n => n is not null, "re-registration");
        var back = (await cluster.ReadNodeAsync(address))!;
        Assert.Equal(NodeState.Joining, back.State);
        Assert.NotEqual(firstRunId, back.RunId);
    }

    [Fact]
    public async Task Paused_redis_is_removed_after_the_unhealthy_time_and_reenters_as_joining()
    {
        await using var cluster = await ZooKeeperRingCluster.CreateAsync(zk.Server, output);
        var redis = await cluster.StartRedisAsync();
        var address = ZooKeeperRingCluster.AddressOf(redis);
        cluster.StartRegistrar(redis);
        await cluster.WaitForNodeAsync(address, n => n is not null, "registration");
        await ClusterAdmin.PromoteAsync(cluster.Admin, cluster.Layout, address);
        await cluster.WaitForNodeAsync(address, n => n?.State == NodeState.Up, "promotion");

        redis.Signal("STOP");
        try
        {
            await cluster.WaitForNodeAsync(address, n => n is null, "removal while paused", TimeSpan.FromSeconds(10));
        }
        finally
        {
            redis.Signal("CONT");
        }

        // Same process, same run_id, same data: it still may have missed writes, so joining.
        await cluster.WaitForNodeAsync(address, n => n is not null, "re-registration after SIGCONT");
        Assert.Equal(NodeState.Joining, (await cluster.ReadNodeAsync(address))!.State);
    }

    [Fact]
    public async Task Short_hiccup_below_the_unhealthy_time_keeps_the_znode()
    {
        await using var cluster = await ZooKeeperRingCluster.CreateAsync(zk.Server, output);
        var redis = await cluster.StartRedisAsync();
        var address = ZooKeeperRingCluster.AddressOf(redis);
        cluster.StartRegistrar(redis, "--unhealthy-after-ms", "5000");
        await cluster.WaitForNodeAsync(address, n => n is not null, "registration");
        var (_, before) = await cluster.Admin.GetDataAsync(cluster.Layout.Node(address));

        redis.Signal("STOP");
        await Task.Delay(1500);
        redis.Signal("CONT");
        await Task.Delay(500);

        var (_, after) = await cluster.Admin.GetDataAsync(cluster.Layout.Node(address));
        Assert.Equal(before.CreatedZxid, after.CreatedZxid);
    }
}
