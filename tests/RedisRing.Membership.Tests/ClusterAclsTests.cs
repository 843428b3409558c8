using RedisRing.Testing;
using RedisRing.ZooKeeper;
using Xunit.Abstractions;

namespace RedisRing.Membership.Tests;

/// <summary>The ACLs a cluster is created with: who may write nodes, who may only read them and register proxies.</summary>
[Collection(ZooKeeperCollection.Name)]
public sealed class ClusterAclsTests(ZooKeeperServerFixture zk, ITestOutputHelper output)
{
    private static byte[] RogueNode(NodeAddress address) => new NodeRecord(address, 1, NodeState.Up, "rogue").ToJson();

    [Fact]
    public async Task Client_without_the_cluster_credential_cannot_create_a_node_znode()
    {
        await using var cluster = await ZooKeeperRingCluster.CreateAsync(zk.Server, output);
        var rogue = new NodeAddress("127.0.0.1", 1);
        var path = cluster.Layout.Node(rogue);

        await using var anonymous = await ZooKeeperRingCluster.ConnectAsync(zk.Server, credential: null);
        await Assert.ThrowsAsync<NoAuthException>(() => anonymous.CreateAsync(path, RogueNode(rogue), CreateMode.Ephemeral));
        await Assert.ThrowsAsync<NoAuthException>(() => anonymous.GetChildrenAsync(cluster.Layout.Nodes));

        await using var wrongPassword = await ZooKeeperRingCluster.ConnectAsync(zk.Server, DigestCredential.Parse("registrar:guess"));
        await Assert.ThrowsAsync<NoAuthException>(() => wrongPassword.CreateAsync(path, RogueNode(rogue), CreateMode.Ephemeral));

        await using var proxy = await ZooKeeperRingCluster.ConnectAsync(zk.Server, ZooKeeperRingCluster.ProxyCredential);
        await Assert.ThrowsAsync<NoAuthException>(() => proxy.CreateAsync(path, RogueNode(rogue), CreateMode.Ephemeral));
        await Assert.ThrowsAsync<NoAuthException>(() => proxy.SetDataAsync(cluster.Layout.Config, new RingConfig(1, "").ToJson()));

        Assert.Null(await cluster.ReadNodeAsync(rogue));
    }

    [Fact]
    public async Task Proxy_credential_reads_nodes_and_registers_under_proxies_only()
    {
        await using var cluster = await ZooKeeperRingCluster.CreateAsync(zk.Server, output);
        var redis = await cluster.StartRedisAsync();
        var address = ZooKeeperRingCluster.AddressOf(redis);
        cluster.StartRegistrar(redis);
        await cluster.WaitForNodeAsync(address, n => n is not null, "registration");

        await using var proxy = await ZooKeeperRingCluster.ConnectAsync(zk.Server, ZooKeeperRingCluster.ProxyCredential);
        Assert.Equal([address.ToString()], (await proxy.GetChildrenAsync(cluster.Layout.Nodes)).Children);
        var (data, _) = await proxy.GetDataAsync(cluster.Layout.Node(address));
        Assert.True(NodeRecord.TryParse(address.ToString(), data, out _, out var error), error);
        await Assert.ThrowsAsync<NoAuthException>(() => proxy.SetDataAsync(cluster.Layout.Node(address), RogueNode(address)));
        await Assert.ThrowsAsync<NoAuthException>(() => proxy.DeleteAsync(cluster.Layout.Node(address)));
        Assert.True(RingConfig.TryParse((await proxy.GetDataAsync(cluster.Layout.Config)).Data, out var config, out _));
        Assert.Equal(2, config.Replicas);

        await proxy.CreateAsync(cluster.Layout.Proxy("127.0.0.1:6380"), default, CreateMode.Ephemeral, new ClusterAcls(ZooKeeperRingCluster.ClusterCredential, ZooKeeperRingCluster.ProxyCredential).ProxyOwned);
        Assert.Contains("127.0.0.1:6380", (await cluster.Admin.GetChildrenAsync(cluster.Layout.Proxies)).Children);
    }
}
