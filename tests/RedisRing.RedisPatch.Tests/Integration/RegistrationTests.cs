using System.Globalization;
using System.Text;
using RedisRing.Membership;
using RedisRing.Testing;
using Xunit.Abstractions;

namespace RedisRing.RedisPatch.Tests.Integration;

/// <summary>What a patched server writes in ZooKeeper: what the registrar would have written.</summary>
[Collection(ZooKeeperCollection.Name)]
public sealed class RegistrationTests(ZooKeeperServerFixture zk, ITestOutputHelper output)
{
    [Fact]
    public async Task Patched_server_creates_its_member_joining_and_its_liveness_with_the_registrars_json_and_acls()
    {
        await using var cluster = await PatchCluster.CreateAsync(zk.Server, output);
        var redis = await cluster.StartPatchedAsync(null, "--zookeeper-weight", "3");
        var runId = await RunIdAsync(redis);
        var address = PatchCluster.AddressOf(redis.Port);
        var live = await cluster.WaitForLiveAsync(redis.Port, runId, "liveness");
        await WaitForInfoAsync(redis, "zookeeper_live", "1");

        // The member: persistent, the registrar's JSON byte for byte, nodes/'s ACL with the
        // proxies' entry turned into read and write.
        var memberPath = cluster.Layout.Node(address);
        var (member, memberStat) = await cluster.Admin.GetDataAsync(memberPath);
        Assert.Equal(Encoding.UTF8.GetString(new NodeRecord(address, 3, NodeState.Joining, runId, MemberStep.NewNode).ToJson()), Encoding.UTF8.GetString(member));
        Assert.Equal(0, memberStat.EphemeralOwner);
        var nodesAcl = (await cluster.Admin.GetAclAsync(cluster.Layout.Nodes)).Acl;
        Assert.Equal(ClusterAcls.MemberAclFrom(nodesAcl).OrderBy(a => a.Id), (await cluster.Admin.GetAclAsync(memberPath)).Acl.OrderBy(a => a.Id));
        Assert.Equal(new ClusterAcls(PatchCluster.Cluster, PatchCluster.Proxy).Member.OrderBy(a => a.Id), (await cluster.Admin.GetAclAsync(memberPath)).Acl.OrderBy(a => a.Id));

        // The liveness: ephemeral, owned by the server's session, live/'s ACL.
        var livePath = cluster.Layout.Liveness(address);
        var (liveness, _) = await cluster.Admin.GetDataAsync(livePath);
        Assert.Equal(Encoding.UTF8.GetString(new LivenessRecord(address, runId).ToJson()), Encoding.UTF8.GetString(liveness));
        Assert.Equal((await cluster.Admin.GetAclAsync(cluster.Layout.Live)).Acl.OrderBy(a => a.Id), (await cluster.Admin.GetAclAsync(livePath)).Acl.OrderBy(a => a.Id));

        var info = await redis.InfoAsync("zookeeper");
        Assert.NotEqual(0, live.Owner);
        Assert.Equal("0x" + live.Owner.ToString("x", CultureInfo.InvariantCulture), info["zookeeper_session_id"]);
        Assert.Equal("1", info["zookeeper_connected"]);
        Assert.Equal("1", info["zookeeper_live"]);
        Assert.Equal("joining", info["zookeeper_member_state"]);
        Assert.Equal(MemberStep.NewNode, info["zookeeper_member_reason"]);
        Assert.Equal(memberPath, info["zookeeper_member_path"]);
        Assert.Equal(livePath, info["zookeeper_live_path"]);
        Assert.Equal(string.Empty, info["zookeeper_last_error"]);
    }

    [Fact]
    public async Task Promotion_by_the_operator_shows_in_info_and_the_advertised_address_names_both_znodes()
    {
        await using var cluster = await PatchCluster.CreateAsync(zk.Server, output);
        var port = LoopbackPorts.GetFree();
        var redis = await cluster.StartPatchedAsync(port, "--bind", "0.0.0.0", "--zookeeper-advertise", $"localhost:{port}");
        var runId = await RunIdAsync(redis);
        var address = new NodeAddress("localhost", port);
        await LivenessReads.WaitForLivenessAsync(cluster.Admin, cluster.Layout, address, l => l?.Record.RunId == runId, "liveness at localhost");
        var record = await WaitForRecordAsync(cluster, address, NodeState.Joining);
        Assert.Equal(address, record.Address);

        await ClusterAdmin.PromoteAsync(cluster.Admin, cluster.Layout, address);
        await WaitForInfoAsync(redis, "zookeeper_member_state", "up");
        await WaitForInfoAsync(redis, "zookeeper_member_reason", "promoted by an operator");
    }

    [Fact]
    public async Task Config_set_of_the_weight_rewrites_the_member_joining_with_the_new_weight()
    {
        await using var cluster = await PatchCluster.CreateAsync(zk.Server, output);
        var redis = await cluster.StartPatchedAsync();
        var runId = await RunIdAsync(redis);
        await cluster.WaitForLiveAsync(redis.Port, runId, "liveness");
        await ClusterAdmin.PromoteAsync(cluster.Admin, cluster.Layout, PatchCluster.AddressOf(redis.Port));
        await cluster.WaitForNodeAsync(redis.Port, n => n is { Weight: 1, State: NodeState.Up }, "promotion");

        // Another weight moves the node's ranges: keys it never had, so it may not serve reads.
        Assert.Equal("+OK", (await redis.CommandAsync("CONFIG", "SET", "zookeeper-weight", "7")).TrimEnd());
        await cluster.WaitForNodeAsync(redis.Port, n => n is { Weight: 7, State: NodeState.Joining }, "member rewritten with weight 7");
        var member = (await cluster.ReadNodeAsync(redis.Port))!;
        Assert.Equal(runId, member.RunId);
        Assert.Equal("weight changed from 1 to 7", member.Reason);
        await cluster.WaitForLiveAsync(redis.Port, runId, "liveness on the new session");
    }

    [Fact]
    public async Task ZooKeeper_directives_set_at_run_time_register_a_running_server_and_clearing_them_deletes_only_the_liveness_znode()
    {
        await using var cluster = await PatchCluster.CreateAsync(zk.Server, output);
        var redis = await cluster.StartPatchedWithAsync();
        Assert.DoesNotContain("# Zookeeper", await redis.CommandAsync("INFO"), StringComparison.Ordinal);

        await cluster.RegisterAtRunTimeAsync(redis);

        var runId = await RunIdAsync(redis);
        await cluster.WaitForLiveAsync(redis.Port, runId, "liveness after CONFIG SET");
        Assert.Equal(NodeState.Joining, (await cluster.ReadNodeAsync(redis.Port))!.State);
        Assert.Contains("# Zookeeper", await redis.CommandAsync("INFO"), StringComparison.Ordinal);

        Assert.Equal("+OK", (await redis.CommandAsync("CONFIG", "SET", "zookeeper-connect", "")).TrimEnd());
        await cluster.WaitForLivenessAsync(redis.Port, l => l is null, "liveness deleted after clearing zookeeper-connect");
        var member = await cluster.ReadNodeAsync(redis.Port);
        Assert.Equal(runId, member?.RunId);
        Assert.Equal(NodeState.Joining, member!.State);
    }

    [Fact]
    public async Task Member_deleted_while_the_server_is_live_is_created_again_joining()
    {
        await using var cluster = await PatchCluster.CreateAsync(zk.Server, output);
        var redis = await cluster.StartPatchedAsync();
        var runId = await RunIdAsync(redis);
        var address = PatchCluster.AddressOf(redis.Port);
        var live = await cluster.WaitForLiveAsync(redis.Port, runId, "liveness");
        await ClusterAdmin.PromoteAsync(cluster.Admin, cluster.Layout, address);
        await WaitForInfoAsync(redis, "zookeeper_member_state", "up");

        // As a proxy does after the down grace period, or an operator with redisring-registrar remove.
        await ClusterAdmin.RemoveAsync(cluster.Admin, cluster.Layout, address);

        await cluster.WaitForNodeAsync(redis.Port, n => n is not null, "member created again");
        var member = (await cluster.ReadNodeAsync(redis.Port))!;
        Assert.Equal(NodeState.Joining, member.State);
        Assert.Equal(runId, member.RunId);
        Assert.Equal(MemberStep.NewNode, member.Reason);
        await WaitForInfoAsync(redis, "zookeeper_member_state", "joining");
        Assert.Equal(live, await cluster.ReadLivenessAsync(redis.Port));
    }

    [Fact]
    public async Task Member_rewritten_by_a_proxy_with_the_same_run_id_is_left_alone_and_its_reason_shows_in_info()
    {
        await using var cluster = await PatchCluster.CreateAsync(zk.Server, output);
        var redis = await cluster.StartPatchedAsync();
        var runId = await RunIdAsync(redis);
        var address = PatchCluster.AddressOf(redis.Port);
        await cluster.WaitForLiveAsync(redis.Port, runId, "liveness");
        await ClusterAdmin.PromoteAsync(cluster.Admin, cluster.Layout, address);
        await WaitForInfoAsync(redis, "zookeeper_member_state", "up");

        // What a proxy writes for a node that missed more writes than its hint buffer holds; the
        // JSON writer escapes '<', '>' and '+' (\u003C...), which the server reads back.
        const string reason = "hint buffer overflowed at proxy 127.0.0.1:1 <test> + \"quoted\"";
        var path = cluster.Layout.Node(address);
        var (data, stat) = await cluster.Admin.GetDataAsync(path);
        Assert.True(NodeRecord.TryParse(address.ToString(), data, out var record, out var error), error);
        var written = await cluster.Admin.SetDataAsync(path, record.With(NodeState.Joining, runId, reason).ToJson(), stat.Version);

        await WaitForInfoAsync(redis, "zookeeper_member_state", "joining");
        await WaitForInfoAsync(redis, "zookeeper_member_reason", reason);
        Assert.Equal(written.Version, (await cluster.Admin.GetDataAsync(path)).Stat.Version);
    }

    [Fact]
    public async Task Member_with_bad_data_is_written_again_as_a_new_node()
    {
        await using var cluster = await PatchCluster.CreateAsync(zk.Server, output);
        var redis = await cluster.StartPatchedAsync();
        var runId = await RunIdAsync(redis);
        await cluster.WaitForLiveAsync(redis.Port, runId, "liveness");
        var path = cluster.Layout.Node(PatchCluster.AddressOf(redis.Port));

        await cluster.Admin.SetDataAsync(path, "{\"version\":2,\"state\":\"sideways\"}"u8.ToArray());

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        NodeRecord? member;
        while (!NodeRecord.TryParse(PatchCluster.AddressOf(redis.Port).ToString(), (await cluster.Admin.GetDataAsync(path)).Data, out member, out _))
        {
            Assert.True(DateTime.UtcNow < deadline, "the bad member record was not written again");
            await Task.Delay(20);
        }

        Assert.Equal(new NodeRecord(PatchCluster.AddressOf(redis.Port), 1, NodeState.Joining, runId, MemberStep.NewNode), member);
        Assert.Contains("has bad data", redis.ReadLog(), StringComparison.Ordinal);
    }

    private static async Task<NodeRecord> WaitForRecordAsync(PatchCluster cluster, NodeAddress address, NodeState state)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (true)
        {
            try
            {
                var (data, _) = await cluster.Admin.GetDataAsync(cluster.Layout.Node(address));
                Assert.True(NodeRecord.TryParse(address.ToString(), data, out var record, out var error), error);
                if (record.State == state)
                {
                    return record;
                }
            }
            catch (ZooKeeper.NoNodeException) when (DateTime.UtcNow < deadline)
            {
            }

            Assert.True(DateTime.UtcNow < deadline, $"{address} did not appear as {state}");
            await Task.Delay(20);
        }
    }

    /// <summary>The server's run_id (INFO server), the identity its member and liveness carry.</summary>
    internal static async Task<string> RunIdAsync(PatchedRedisServer redis) => (await redis.InfoAsync("server"))["run_id"];

    internal static async Task WaitForInfoAsync(PatchedRedisServer redis, string field, string value)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (true)
        {
            var info = await redis.InfoAsync("zookeeper");
            if (info.TryGetValue(field, out var actual) && actual == value)
            {
                return;
            }

            Assert.True(DateTime.UtcNow < deadline, $"INFO {field} stayed '{actual}', expected '{value}'");
            await Task.Delay(20);
        }
    }
}
