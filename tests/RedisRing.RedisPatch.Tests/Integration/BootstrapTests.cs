using RedisRing.Membership;
using RedisRing.Testing;
using Xunit.Abstractions;

namespace RedisRing.RedisPatch.Tests.Integration;

/// <summary>
/// The brand-new cluster (docs/zookeeper.md, state rule 7): an initial member is <c>up</c> with an
/// empty runId until its first registration, which fills in the run_id; only then, and only with
/// an empty dataset, does a node stay <c>up</c> without a promotion.
/// </summary>
[Collection(ZooKeeperCollection.Name)]
public sealed class BootstrapTests(ZooKeeperServerFixture zk, ITestOutputHelper output)
{
    [Fact]
    public async Task Initial_node_with_an_empty_dataset_fills_in_its_run_id_and_stays_up_and_a_restart_is_joining()
    {
        var port = LoopbackPorts.GetFree();
        await using var cluster = await PatchCluster.CreateAsync(zk.Server, output, port);
        var initial = (await cluster.ReadNodeAsync(port))!;
        Assert.True(initial.AwaitsFirstRegistration);

        var redis = await cluster.StartPatchedAsync(port);
        var runId = await RegistrationTests.RunIdAsync(redis);
        await cluster.WaitForNodeAsync(port, n => n?.RunId == runId, "first registration");
        var member = (await cluster.ReadNodeAsync(port))!;
        Assert.Equal(NodeState.Up, member.State);
        Assert.Equal(MemberStep.FirstRegistration, member.Reason);
        await cluster.WaitForLiveAsync(port, runId, "liveness");
        await RegistrationTests.WaitForInfoAsync(redis, "zookeeper_member_state", "up");

        // Down is not out: the member keeps its place, state and run_id while the server is stopped.
        await redis.ShutdownAsync();
        await cluster.WaitForLivenessAsync(port, l => l is null, "liveness deleted on SHUTDOWN");
        Assert.Equal(member, await cluster.ReadNodeAsync(port));

        // A new process is a new run_id: its data may lack writes, so the privilege is not used again.
        await redis.StartAsync();
        var newRunId = await RegistrationTests.RunIdAsync(redis);
        await cluster.WaitForLiveAsync(port, newRunId, "liveness after restart");
        var restarted = (await cluster.ReadNodeAsync(port))!;
        Assert.Equal(NodeState.Joining, restarted.State);
        Assert.Equal(newRunId, restarted.RunId);
        Assert.Equal(MemberStep.Restarted, restarted.Reason);
    }

    [Fact]
    public async Task Initial_node_that_already_holds_keys_becomes_joining_at_its_first_registration()
    {
        var port = LoopbackPorts.GetFree();
        await using var cluster = await PatchCluster.CreateAsync(zk.Server, output, port);
        var redis = await cluster.StartPatchedWithAsync(port);
        Assert.Equal("+OK", (await redis.CommandAsync("SET", "written-before", "1")).TrimEnd());

        await cluster.RegisterAtRunTimeAsync(redis);
        var runId = await RegistrationTests.RunIdAsync(redis);
        await cluster.WaitForNodeAsync(port, n => n?.RunId == runId, "first registration");
        var member = (await cluster.ReadNodeAsync(port))!;
        Assert.Equal(NodeState.Joining, member.State);
        Assert.Equal(MemberStep.InitialNodeHeldKeys, member.Reason);
        await cluster.WaitForLiveAsync(port, runId, "liveness");
    }
}
