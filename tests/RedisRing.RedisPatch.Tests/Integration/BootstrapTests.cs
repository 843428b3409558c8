using System.Text;
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
        await AssertRegistrarBytesAsync(cluster, port, initial, runId, keys: 0);
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
        await AssertRegistrarBytesAsync(cluster, port, member, newRunId, keys: 0);
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
        await AssertRegistrarBytesAsync(cluster, port, new NodeRecord(PatchCluster.AddressOf(port), 1, NodeState.Up, ""), runId, keys: 1);
        await cluster.WaitForLiveAsync(port, runId, "liveness");
    }

    [Fact]
    public async Task Empty_node_restarted_after_a_crash_in_a_live_cluster_enters_joining_while_the_other_initial_node_stays_up()
    {
        int[] ports = [LoopbackPorts.GetFree(), LoopbackPorts.GetFree()];
        await using var cluster = await PatchCluster.CreateAsync(zk.Server, output, ports);
        var crashing = await cluster.StartPatchedAsync(ports[0], "--zookeeper-session-timeout", "2000");
        var other = await cluster.StartPatchedAsync(ports[1]);
        var firstRunId = await RegistrationTests.RunIdAsync(crashing);
        var otherRunId = await RegistrationTests.RunIdAsync(other);
        await cluster.WaitForNodeAsync(ports[0], n => n is { State: NodeState.Up } && n.RunId == firstRunId, "first registration");
        await cluster.WaitForNodeAsync(ports[1], n => n is { State: NodeState.Up } && n.RunId == otherRunId, "first registration of the other node");

        // kill -9 and a restart without persistence: the dataset is empty again, as at the first
        // registration, but the member now holds the old run_id. An empty dataset here means
        // every write the node took is lost, so it must not be read: joining, not up.
        var beforeCrash = (await cluster.ReadNodeAsync(ports[0]))!;
        crashing.Kill();
        await crashing.StartAsync();
        Assert.Equal("0", (await crashing.CommandAsync("DBSIZE")).TrimEnd()[1..]);
        var newRunId = await RegistrationTests.RunIdAsync(crashing);
        Assert.NotEqual(firstRunId, newRunId);
        await cluster.WaitForNodeAsync(ports[0], n => n?.RunId == newRunId, "registration after the crash");
        Assert.Equal(new NodeRecord(PatchCluster.AddressOf(ports[0]), 1, NodeState.Joining, newRunId, MemberStep.Restarted), await cluster.ReadNodeAsync(ports[0]));
        await AssertRegistrarBytesAsync(cluster, ports[0], beforeCrash, newRunId, keys: 0);
        // Its old liveness znode (another run_id) is waited out, then the new one is created.
        await cluster.WaitForLiveAsync(ports[0], newRunId, "liveness after the old session expired");
        await RegistrationTests.WaitForInfoAsync(crashing, "zookeeper_member_state", "joining");

        Assert.Equal(new NodeRecord(PatchCluster.AddressOf(ports[1]), 1, NodeState.Up, otherRunId, MemberStep.FirstRegistration), await cluster.ReadNodeAsync(ports[1]));
    }

    /// <summary>
    /// The member's data is byte for byte what the registrar would have written for the same
    /// member read, run_id and key count (<see cref="MemberStep.Decide"/>, <see cref="NodeRecord.ToJson"/>):
    /// proxies, operators and tools cannot tell who wrote it.
    /// </summary>
    private static async Task AssertRegistrarBytesAsync(PatchCluster cluster, int port, NodeRecord read, string runId, long keys)
    {
        var expected = MemberStep.Decide(read, PatchCluster.AddressOf(port), 1, runId, keys);
        Assert.NotNull(expected);
        var (data, _) = await cluster.Admin.GetDataAsync(cluster.Layout.Node(PatchCluster.AddressOf(port)));
        Assert.Equal(Encoding.UTF8.GetString(expected.ToJson()), Encoding.UTF8.GetString(data));
    }
}
