using RedisRing.Testing;
using RedisRing.ZooKeeper;
using Xunit.Abstractions;

namespace RedisRing.Membership.Tests;

/// <summary>The ACLs a cluster is created with: who may create members, what the proxy credential may change (member data, member removal, its own announcement) and what not.</summary>
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
        await Assert.ThrowsAsync<NoAuthException>(() => proxy.CreateAsync(path, RogueNode(rogue), CreateMode.Persistent));
        await Assert.ThrowsAsync<NoAuthException>(() => proxy.CreateAsync(cluster.Layout.Liveness(rogue), RogueNode(rogue), CreateMode.Ephemeral));
        await Assert.ThrowsAsync<NoAuthException>(() => proxy.SetDataAsync(cluster.Layout.Config, new RingConfig(1, "").ToJson()));

        Assert.Null(await cluster.ReadNodeAsync(rogue));
    }

    [Fact]
    public async Task Proxy_credential_reads_members_rewrites_and_removes_them_but_changes_nothing_else()
    {
        await using var cluster = await ZooKeeperRingCluster.CreateAsync(zk.Server, output);
        var redis = await cluster.StartRedisAsync();
        var address = ZooKeeperRingCluster.AddressOf(redis);
        var registrar = cluster.StartRegistrar(redis);
        await cluster.WaitForLiveAsync(address, l => l is not null, "liveness");

        await using var proxy = await ZooKeeperRingCluster.ConnectAsync(zk.Server, ZooKeeperRingCluster.ProxyCredential);
        Assert.Equal([address.ToString()], (await proxy.GetChildrenAsync(cluster.Layout.Nodes)).Children);
        Assert.Equal([address.ToString()], (await proxy.GetChildrenAsync(cluster.Layout.Live)).Children);
        var (data, stat) = await proxy.GetDataAsync(cluster.Layout.Node(address));
        Assert.True(NodeRecord.TryParse(address.ToString(), data, out var member, out var error), error);

        // A repair record (the proxy's verdict) and a removal after the grace period are the proxy's to make.
        await proxy.SetDataAsync(cluster.Layout.Node(address), member.With(NodeState.Joining, member.RunId, "test: needs repair").ToJson(), stat.Version);
        await Assert.ThrowsAsync<NoAuthException>(() => proxy.SetDataAsync(cluster.Layout.Liveness(address), RogueNode(address)));
        await Assert.ThrowsAsync<NoAuthException>(() => proxy.DeleteAsync(cluster.Layout.Liveness(address)));
        registrar.Signal("TERM");
        await registrar.WaitForExitAsync(TimeSpan.FromSeconds(20));
        await proxy.DeleteAsync(cluster.Layout.Node(address));
        Assert.Null(await cluster.ReadNodeAsync(address));
        Assert.True(RingConfig.TryParse((await proxy.GetDataAsync(cluster.Layout.Config)).Data, out var config, out _));
        Assert.Equal(2, config.Replicas);

        await proxy.CreateAsync(cluster.Layout.Proxy("127.0.0.1:6380"), default, CreateMode.Ephemeral, new ClusterAcls(ZooKeeperRingCluster.ClusterCredential, ZooKeeperRingCluster.ProxyCredential).ProxyOwned);
        Assert.Contains("127.0.0.1:6380", (await cluster.Admin.GetChildrenAsync(cluster.Layout.Proxies)).Children);
    }
}
