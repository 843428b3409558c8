using RedisRing.Membership;
using RedisRing.Testing;
using Xunit.Abstractions;

namespace RedisRing.Registrar.Tests.Integration;

[Collection(ZooKeeperCollection.Name)]
public sealed class BootstrapAndPromotionTests(ZooKeeperServerFixture zk, ITestOutputHelper output)
{
    private static Dictionary<string, string> Environment => new() { ["REDISRING_ZK_AUTH"] = ZooKeeperRingCluster.ClusterAuth, ["REDISRING_ZK_PROXY_AUTH"] = ZooKeeperRingCluster.ProxyAuth };

    [Fact]
    public async Task Initial_node_of_a_brand_new_cluster_stays_up_at_its_first_registration_then_joining_after_a_restart()
    {
        await using var initial = await RedisServer.StartAsync(output);
        await using var later = await RedisServer.StartAsync(output);
        var initialAddress = ZooKeeperRingCluster.AddressOf(initial);
        await using var cluster = await ZooKeeperRingCluster.CreateAsync(zk.Server, output, initialAddress);
        var created = (await cluster.ReadNodeAsync(initialAddress))!;
        Assert.True(created.AwaitsFirstRegistration);

        cluster.StartRegistrar(initial);
        cluster.StartRegistrar(later);
        await cluster.WaitForNodeAsync(initialAddress, n => n is { State: NodeState.Up, RunId.Length: > 0 }, "first registration keeps it up");
        await cluster.WaitForNodeAsync(ZooKeeperRingCluster.AddressOf(later), n => n?.State == NodeState.Joining, "not an initial node: joining");

        initial.Kill();
        await cluster.WaitForLiveAsync(initialAddress, l => l is null, "liveness gone");
        await initial.StartAsync();
        await cluster.WaitForNodeAsync(initialAddress, n => n?.State == NodeState.Joining, "a restart is joining (the privilege is used up)");
    }

    [Fact]
    public async Task Initial_node_with_data_does_not_bootstrap_and_joins()
    {
        await using var redis = await RedisServer.StartAsync(output);
        await redis.CommandAsync("SET", "left-over", "1");
        await using var cluster = await ZooKeeperRingCluster.CreateAsync(zk.Server, output, ZooKeeperRingCluster.AddressOf(redis));

        cluster.StartRegistrar(redis);
        await cluster.WaitForNodeAsync(ZooKeeperRingCluster.AddressOf(redis), n => n?.RunId.Length > 0, "first registration");
        var record = (await cluster.ReadNodeAsync(ZooKeeperRingCluster.AddressOf(redis)))!;
        Assert.Equal((NodeState.Joining, MemberStep.InitialNodeHeldKeys), (record.State, record.Reason));
    }

    [Fact]
    public async Task Create_cluster_and_promote_commands_work_from_the_command_line()
    {
        var name = "cli-" + Guid.NewGuid().ToString("N")[..8];
        await using var redis = await RedisServer.StartAsync(output);
        var node = "127.0.0.1:" + redis.Port;
        var (code, text) = await RegistrarProcess.RunCommandAsync(
            ["create-cluster", "--zookeeper", zk.Server.Endpoint, "--cluster", name, "--replicas", "3", "--node", "127.0.0.1:1"], Environment);
        Assert.True(code == 0, text);
        (code, text) = await RegistrarProcess.RunCommandAsync(["create-cluster", "--zookeeper", zk.Server.Endpoint, "--cluster", name], Environment);
        Assert.Equal(1, code);
        Assert.Contains("already exists", text, StringComparison.Ordinal);

        await using var registrar = RegistrarProcess.Start(output, redis.Endpoint, ["--zookeeper", zk.Server.Endpoint, "--cluster", name], ZooKeeperRingCluster.ClusterAuth);
        await using var admin = await ZooKeeperRingCluster.ConnectAsync(zk.Server, ZooKeeperRingCluster.ClusterCredential);
        var layout = new ClusterLayout(name);
        Assert.True(RingConfig.TryParse((await admin.GetDataAsync(layout.Config)).Data, out var config, out _));
        Assert.Equal(3, config.Replicas);
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while ((await admin.GetChildrenAsync(layout.Live)).Children.Count == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        (code, text) = await RegistrarProcess.RunCommandAsync(["promote", "--zookeeper", zk.Server.Endpoint, "--cluster", name, "--node", node], Environment);
        Assert.True(code == 0, text);
        Assert.True(NodeRecord.TryParse(node, (await admin.GetDataAsync(layout.Node(NodeAddress.Parse(node)))).Data, out var record, out _));
        Assert.Equal(NodeState.Up, record.State);

        Assert.Contains("no proxy is announced", text, StringComparison.Ordinal);

        (code, text) = await RegistrarProcess.RunCommandAsync(["promote", "--zookeeper", zk.Server.Endpoint, "--cluster", name, "--node", node], Environment);
        Assert.Equal(1, code);
        Assert.Contains("not joining", text, StringComparison.Ordinal);

        // The initial node that never registers holds the cluster in its start: the operator removes it.
        (code, text) = await RegistrarProcess.RunCommandAsync(["remove", "--zookeeper", zk.Server.Endpoint, "--cluster", name, "--node", "127.0.0.1:1"], Environment);
        Assert.True(code == 0, text);
        Assert.Contains("removed", text, StringComparison.Ordinal);
        Assert.Equal([node], (await admin.GetChildrenAsync(layout.Nodes)).Children);
    }

    [Fact]
    public async Task Promotion_is_refused_for_a_node_that_is_not_live_with_the_members_run_id()
    {
        await using var redis = await RedisServer.StartAsync(output);
        var address = ZooKeeperRingCluster.AddressOf(redis);
        await using var cluster = await ZooKeeperRingCluster.CreateAsync(zk.Server, output);
        var registrar = cluster.StartRegistrar(redis);
        await cluster.WaitForLiveAsync(address, l => l is not null, "liveness");
        registrar.Signal("TERM");
        await registrar.WaitForExitAsync(TimeSpan.FromSeconds(20));

        var refused = await Assert.ThrowsAsync<MemberChangeException>(() => cluster.PromoteAsync(address));
        Assert.Contains("not live", refused.Message, StringComparison.Ordinal);
        Assert.Equal(NodeState.Joining, (await cluster.ReadNodeAsync(address))!.State);
    }
}
