using System.Globalization;
using RedisRing.Membership;
using RedisRing.Testing;
using Xunit.Abstractions;

namespace RedisRing.RedisPatch.Tests.Integration;

/// <summary>What a patched server writes in ZooKeeper: what the registrar would have written.</summary>
[Collection(ZooKeeperCollection.Name)]
public sealed class RegistrationTests(ZooKeeperServerFixture zk, ITestOutputHelper output)
{
    [Fact]
    public async Task Patched_server_appears_joining_with_the_registrars_json_and_the_acl_of_nodes()
    {
        await using var cluster = await PatchCluster.CreateAsync(zk.Server, output);
        var redis = await cluster.StartPatchedAsync(null, "--zookeeper-weight", "3");
        await cluster.WaitForNodeAsync(redis.Port, n => n is not null, "registration");
        await WaitForInfoAsync(redis, "zookeeper_registered", "1");

        var server = await redis.InfoAsync("server");
        var path = cluster.Layout.Node(PatchCluster.AddressOf(redis.Port));
        var (data, stat) = await cluster.Admin.GetDataAsync(path);
        var expected = new NodeRecord(PatchCluster.AddressOf(redis.Port), 3, NodeState.Joining, server["run_id"]).ToJson();
        Assert.Equal(System.Text.Encoding.UTF8.GetString(expected), System.Text.Encoding.UTF8.GetString(data));

        var nodesAcl = (await cluster.Admin.GetAclAsync(cluster.Layout.Nodes)).Acl;
        var nodeAcl = (await cluster.Admin.GetAclAsync(path)).Acl;
        Assert.Equal(nodesAcl.OrderBy(a => a.Id), nodeAcl.OrderBy(a => a.Id));

        var info = await redis.InfoAsync("zookeeper");
        Assert.NotEqual(0, stat.EphemeralOwner);
        Assert.Equal("0x" + stat.EphemeralOwner.ToString("x", CultureInfo.InvariantCulture), info["zookeeper_session_id"]);
        Assert.Equal("1", info["zookeeper_connected"]);
        Assert.Equal("1", info["zookeeper_registered"]);
        Assert.Equal("joining", info["zookeeper_state"]);
        Assert.Equal(path, info["zookeeper_node_path"]);
        Assert.Equal(string.Empty, info["zookeeper_last_error"]);
    }

    [Fact]
    public async Task Promotion_by_the_operator_shows_in_info_and_advertised_address_names_the_znode()
    {
        await using var cluster = await PatchCluster.CreateAsync(zk.Server, output);
        var port = Testing.LoopbackPorts.GetFree();
        var redis = await cluster.StartPatchedAsync(port, "--bind", "0.0.0.0", "--zookeeper-advertise", $"localhost:{port}");
        var address = new NodeAddress("localhost", port);
        var record = await WaitForRecordAsync(cluster, address, NodeState.Joining);
        Assert.Equal(address, record.Address);

        await ClusterAdmin.PromoteAsync(cluster.Admin, cluster.Layout, address);
        await WaitForInfoAsync(redis, "zookeeper_state", "up");
    }

    [Fact]
    public async Task Config_set_of_the_weight_registers_again_with_the_new_weight()
    {
        await using var cluster = await PatchCluster.CreateAsync(zk.Server, output);
        var redis = await cluster.StartPatchedAsync();
        await cluster.WaitForNodeAsync(redis.Port, n => n?.Weight == 1, "registration with weight 1");

        Assert.Equal("+OK", (await redis.CommandAsync("CONFIG", "SET", "zookeeper-weight", "7")).TrimEnd());
        await cluster.WaitForNodeAsync(redis.Port, n => n is { Weight: 7, State: NodeState.Joining }, "registration with weight 7");
    }

    [Fact]
    public async Task ZooKeeper_directives_set_at_run_time_register_a_running_server_and_clearing_them_removes_it()
    {
        await using var cluster = await PatchCluster.CreateAsync(zk.Server, output);
        var redis = await cluster.StartPatchedWithAsync();
        Assert.DoesNotContain("# Zookeeper", await redis.CommandAsync("INFO"), StringComparison.Ordinal);

        await cluster.RegisterAtRunTimeAsync(redis);

        await cluster.WaitForNodeAsync(redis.Port, n => n?.State == NodeState.Joining, "registration after CONFIG SET");
        Assert.Contains("# Zookeeper", await redis.CommandAsync("INFO"), StringComparison.Ordinal);

        Assert.Equal("+OK", (await redis.CommandAsync("CONFIG", "SET", "zookeeper-connect", "")).TrimEnd());
        await cluster.WaitForNodeAsync(redis.Port, n => n is null, "removal after clearing zookeeper-connect");
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

    internal static async Task WaitForInfoAsync(Testing.PatchedRedisServer redis, string field, string value)
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
