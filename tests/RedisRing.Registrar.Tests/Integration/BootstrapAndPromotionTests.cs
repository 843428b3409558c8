using RedisRing.Membership;
using RedisRing.Testing;
using Xunit.Abstractions;

namespace RedisRing.Registrar.Tests.Integration;

[Collection(ZooKeeperCollection.Name)]
public sealed class BootstrapAndPromotionTests(ZooKeeperServerFixture zk, ITestOutputHelper output)
{
    private static Dictionary<string, string> Environment => new() { ["REDISRING_ZK_AUTH"] = ZooKeeperRingCluster.ClusterAuth, ["REDISRING_ZK_PROXY_AUTH"] = ZooKeeperRingCluster.ProxyAuth };

    [Fact]
    public async Task Initial_node_of_a_brand_new_cluster_enters_up_once_then_joining_after_a_restart()
    {
        await using var initial = await RedisServer.StartAsync(output);
        await using var later = await RedisServer.StartAsync(output);
        await using var cluster = await ZooKeeperRingCluster.CreateAsync(zk.Server, output, ZooKeeperRingCluster.AddressOf(initial));

        cluster.StartRegistrar(initial);
        cluster.StartRegistrar(later);
        await cluster.WaitForNodeAsync(ZooKeeperRingCluster.AddressOf(initial), n => n?.State == NodeState.Up, "bootstrap as up");
        await cluster.WaitForNodeAsync(ZooKeeperRingCluster.AddressOf(later), n => n?.State == NodeState.Joining, "not an initial node: joining");
        Assert.Empty((await cluster.Admin.GetChildrenAsync(cluster.Layout.Bootstrap)).Children);

        initial.Kill();
        await cluster.WaitForNodeAsync(ZooKeeperRingCluster.AddressOf(initial), n => n is null, "removal");
        await initial.StartAsync();
        await cluster.WaitForNodeAsync(ZooKeeperRingCluster.AddressOf(initial), n => n?.State == NodeState.Joining, "re-entry as joining (marker used up)");
    }

    [Fact]
    public async Task Initial_node_with_data_does_not_bootstrap_and_joins()
    {
        await using var redis = await RedisServer.StartAsync(output);
        await redis.CommandAsync("SET", "left-over", "1");
        await using var cluster = await ZooKeeperRingCluster.CreateAsync(zk.Server, output, ZooKeeperRingCluster.AddressOf(redis));

        cluster.StartRegistrar(redis);
        await cluster.WaitForNodeAsync(ZooKeeperRingCluster.AddressOf(redis), n => n is not null, "registration");
        Assert.Equal(NodeState.Joining, (await cluster.ReadNodeAsync(ZooKeeperRingCluster.AddressOf(redis)))!.State);
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
        while ((await admin.GetChildrenAsync(layout.Nodes)).Children.Count == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        (code, text) = await RegistrarProcess.RunCommandAsync(["promote", "--zookeeper", zk.Server.Endpoint, "--cluster", name, "--node", node], Environment);
        Assert.True(code == 0, text);
        Assert.True(NodeRecord.TryParse(node, (await admin.GetDataAsync(layout.Node(NodeAddress.Parse(node)))).Data, out var record, out _));
        Assert.Equal(NodeState.Up, record.State);

        (code, text) = await RegistrarProcess.RunCommandAsync(["promote", "--zookeeper", zk.Server.Endpoint, "--cluster", name, "--node", node], Environment);
        Assert.Equal(1, code);
        Assert.Contains("not joining", text, StringComparison.Ordinal);
    }
}
