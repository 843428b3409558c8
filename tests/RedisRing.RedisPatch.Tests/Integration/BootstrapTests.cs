using RedisRing.Membership;
using RedisRing.Testing;
using Xunit.Abstractions;

namespace RedisRing.RedisPatch.Tests.Integration;

/// <summary>The brand-new-cluster exception (docs/zookeeper.md, state rule 5), and only it.</summary>
[Collection(ZooKeeperCollection.Name)]
public sealed class BootstrapTests(ZooKeeperServerFixture zk, ITestOutputHelper output)
{
    [Fact]
    public async Task Initial_node_with_an_empty_dataset_enters_up_once_and_every_later_registration_is_joining()
    {
        var port = Testing.LoopbackPorts.GetFree();
        await using var cluster = await PatchCluster.CreateAsync(zk.Server, output, port);
        var redis = await cluster.StartPatchedAsync(port);

        await cluster.WaitForNodeAsync(port, n => n?.State == NodeState.Up, "bootstrap as up");
        Assert.Empty((await cluster.Admin.GetChildrenAsync(cluster.Layout.Bootstrap)).Children);
        await RegistrationTests.WaitForInfoAsync(redis, "zookeeper_state", "up");

        await redis.ShutdownAsync();
        await cluster.WaitForNodeAsync(port, n => n is null, "removal on SHUTDOWN");
        await redis.StartAsync();
        await cluster.WaitForNodeAsync(port, n => n is not null, "registration after restart");
        Assert.Equal(NodeState.Joining, (await cluster.ReadNodeAsync(port))!.State);
    }

    [Fact]
    public async Task Initial_node_that_already_holds_keys_enters_joining_and_keeps_its_marker()
    {
        var port = Testing.LoopbackPorts.GetFree();
        await using var cluster = await PatchCluster.CreateAsync(zk.Server, output, port);
        var redis = await cluster.StartPatchedWithAsync(port);
        Assert.Equal("+OK", (await redis.CommandAsync("SET", "written-before", "1")).TrimEnd());

        await cluster.RegisterAtRunTimeAsync(redis);
        await cluster.WaitForNodeAsync(port, n => n is not null, "registration");
        Assert.Equal(NodeState.Joining, (await cluster.ReadNodeAsync(port))!.State);
        Assert.Equal([PatchCluster.AddressOf(port).ToString()], (await cluster.Admin.GetChildrenAsync(cluster.Layout.Bootstrap)).Children);
    }
}
