using System.Text.Json;
using RedisRing.Testing;
using Xunit.Abstractions;

namespace RedisRing.Ringctl.Tests;

/// <summary>ringctl run as a process against one real cluster: table and JSON output, exit codes.</summary>
public sealed class RingctlCommandTests(RingctlClusterFixture fixture, ITestOutputHelper output) : IClassFixture<RingctlClusterFixture>
{
    [Fact]
    public async Task Status_shows_every_node_up_and_live_with_its_keys_and_the_connected_proxy()
    {
        var table = await RunAsync("status");
        Assert.Equal(0, table.ExitCode);
        foreach (var redis in fixture.Redis)
        {
            Assert.Contains(redis.Endpoint, table.Stdout, StringComparison.Ordinal);
        }

        Assert.Contains("ops/s", table.Stdout, StringComparison.Ordinal);
        Assert.Contains($"proxies: 1 connected: {fixture.Proxy.Endpoint}", table.Stdout, StringComparison.Ordinal);

        var json = (await RunAsync("status", "--json")).Json;
        var nodes = json.GetProperty("nodes").EnumerateArray().ToList();
        Assert.Equal(3, nodes.Count);
        Assert.All(nodes, n =>
        {
            Assert.Equal("up", n.GetProperty("state").GetString());
            Assert.True(n.GetProperty("live").GetBoolean());
            Assert.True(n.GetProperty("reachable").GetBoolean());
            Assert.True(n.GetProperty("usedMemoryBytes").GetInt64() > 0);
        });
        // Two copies of each key: the nodes hold twice the keys written.
        Assert.Equal(2 * RingctlClusterFixture.Keys, nodes.Sum(n => n.GetProperty("keys").GetInt64()));
        Assert.Equal([fixture.Proxy.Endpoint], json.GetProperty("proxies").EnumerateArray().Select(p => p.GetString()));
        Assert.Equal(2, json.GetProperty("config").GetProperty("replicas").GetInt32());
    }

    [Fact]
    public async Task Ring_shares_cover_the_keyspace_once_per_copy_and_a_planned_add_moves_part_of_it()
    {
        var json = (await RunAsync("ring", "--json")).Json;
        var nodes = json.GetProperty("nodes").EnumerateArray().ToList();
        Assert.Equal(1.0, nodes.Sum(n => n.GetProperty("primary").GetDouble()), 4);
        Assert.Equal(2.0, nodes.Sum(n => n.GetProperty("copies").GetDouble()), 4);
        Assert.Equal(JsonValueKind.Null, json.GetProperty("plan").ValueKind);

        var planned = await RunAsync("ring", "--add", "127.0.0.1:1", "--json");
        Assert.True(planned.ExitCode == 0, planned.ToString());
        var plan = planned.Json;
        var moved = plan.GetProperty("plan").GetProperty("moved").GetDouble();
        Assert.InRange(moved, 0.05, 0.95);
        var added = plan.GetProperty("nodes").EnumerateArray().Single(n => n.GetProperty("node").GetString() == "127.0.0.1:1");
        Assert.Equal("planned", added.GetProperty("state").GetString());
        // The new node's copies are all gained; the members give up exactly as much.
        Assert.Equal(added.GetProperty("plannedCopies").GetDouble(), added.GetProperty("gains").GetDouble(), 4);
        var givenUp = plan.GetProperty("nodes").EnumerateArray().Sum(n => n.GetProperty("loses").GetDouble());
        Assert.Equal(added.GetProperty("gains").GetDouble(), givenUp, 3);
        Assert.Equal(2.0, plan.GetProperty("nodes").EnumerateArray().Sum(n => n.GetProperty("plannedCopies").GetDouble()), 4);

        var table = await RunAsync("ring", "--remove", fixture.Redis[0].Endpoint);
        Assert.True(table.ExitCode == 0, table.ToString());
        Assert.Contains("planned copies", table.Stdout, StringComparison.Ordinal);
        Assert.Contains("the plan changes the copies of", table.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Where_finds_a_key_on_both_owners_and_exits_1_once_one_copy_differs()
    {
        var agreed = await RunAsync("where", "k7", "--json");
        Assert.True(agreed.ExitCode == 0, agreed.ToString());
        var owners = agreed.Json.GetProperty("owners").EnumerateArray().ToList();
        Assert.Equal(2, owners.Count);
        Assert.All(owners, o => Assert.True(o.GetProperty("holds").GetBoolean()));
        Assert.True(agreed.Json.GetProperty("agree").GetBoolean());
        Assert.Equal("primary", owners[0].GetProperty("role").GetString());

        var replica = fixture.Redis.Single(r => r.Endpoint == owners[1].GetProperty("node").GetString());
        Assert.Equal("+OK\r\n", await replica.CommandAsync("SET", "k7", "changed behind the proxy"));
        try
        {
            var differing = await RunAsync("where", "k7");
            Assert.True(differing.ExitCode == 1, differing.ToString());
            Assert.Contains("NOT OK: copies differ", differing.Stdout, StringComparison.Ordinal);
            Assert.Contains(replica.Endpoint, differing.Stdout, StringComparison.Ordinal);

            var check = await RunAsync("check", "--json");
            Assert.True(check.ExitCode == 1, check.ToString());
            Assert.Equal(1, check.Json.GetProperty("differing").GetInt64());
            Assert.False(check.Json.GetProperty("healthy").GetBoolean());
            Assert.Contains(check.Json.GetProperty("examples").EnumerateArray(), e => e.GetString()!.Contains("\"k7\"", StringComparison.Ordinal));
        }
        finally
        {
            Assert.Equal("+OK\r\n", await RawRedis.CommandAsync(fixture.Proxy.Port, "SET", "k7", "v7"));
        }

        var healed = await RunAsync("check");
        Assert.True(healed.ExitCode == 0, healed.ToString());
        Assert.Contains($"keys: {RingctlClusterFixture.Keys};", healed.Stdout, StringComparison.Ordinal);
        Assert.Contains("OK: every key has equal copies", healed.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_of_a_sample_checks_that_many_distinct_keys()
    {
        var sampled = await RunAsync("check", "--sample", "50", "--json");
        Assert.True(sampled.ExitCode == 0, sampled.ToString());
        Assert.Equal(50, sampled.Json.GetProperty("sampled").GetInt32());
        Assert.InRange(sampled.Json.GetProperty("keys").GetInt64(), 25, 50);
        Assert.True(sampled.Json.GetProperty("healthy").GetBoolean());
    }

    [Fact]
    public async Task A_refused_promotion_exits_6_and_says_why()
    {
        var refused = await RunAsync("promote", "--node", fixture.Redis[0].Endpoint);
        Assert.True(refused.ExitCode == 6, refused.ToString());
        Assert.Contains("not joining", refused.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_cluster_makes_a_cluster_once_then_exits_6()
    {
        var name = "ctl-" + Guid.NewGuid().ToString("N")[..8];
        string[] create = ["create-cluster", "--zookeeper", fixture.ZooKeeper.Endpoint, "--cluster", name, "--proxy-auth", ZooKeeperRingCluster.ProxyAuth, "--node", "127.0.0.1:1", "--json"];
        var created = await RingctlProcess.RunAsync(create, ZooKeeperRingCluster.ClusterAuth);
        Assert.True(created.ExitCode == 0, created.ToString());
        Assert.Equal(name, created.Json.GetProperty("cluster").GetString());
        var again = await RingctlProcess.RunAsync(create, ZooKeeperRingCluster.ClusterAuth);
        Assert.True(again.ExitCode == 6, again.ToString());
        Assert.Contains("already exists", again.Stderr, StringComparison.Ordinal);
        Assert.Equal(6, again.Json.GetProperty("exitCode").GetInt32());
    }

    [Fact]
    public async Task An_unreachable_zookeeper_exits_3_within_the_connect_timeout()
    {
        var result = await RingctlProcess.RunAsync(["status", "--zookeeper", "127.0.0.1:" + LoopbackPorts.GetFree(), "--cluster", "any", "--connect-timeout-s", "1"],
            ZooKeeperRingCluster.ClusterAuth, timeoutSeconds: 30);
        Assert.True(result.ExitCode == 3, result.ToString());
        Assert.Contains("is unreachable", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_cluster_exits_4_and_names_the_clusters_there()
    {
        var result = await RingctlProcess.RunAsync(["status", "--zookeeper", fixture.ZooKeeper.Endpoint, "--cluster", "no-such-cluster"], ZooKeeperRingCluster.ClusterAuth);
        Assert.True(result.ExitCode == 4, result.ToString());
        Assert.Contains("cluster no-such-cluster does not exist", result.Stderr, StringComparison.Ordinal);
        Assert.Contains(fixture.Cluster.Layout.Cluster, result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrong_password_exits_5_without_showing_it()
    {
        var result = await RingctlProcess.RunAsync(["status", "--json", .. fixture.Target], "registrar:wrong-password");
        Assert.True(result.ExitCode == 5, result.ToString());
        Assert.Contains("refused the credential of user 'registrar'", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong-password", result.Stdout + result.Stderr, StringComparison.Ordinal);
        Assert.Equal(5, result.Json.GetProperty("exitCode").GetInt32());
    }

    [Fact]
    public async Task Add_of_a_node_whose_registrar_never_registers_it_exits_7_after_its_timeout()
    {
        var result = await RunAsync("add", "--node", "127.0.0.1:" + LoopbackPorts.GetFree(), "--register-timeout-s", "1");
        Assert.True(result.ExitCode == 7, result.ToString());
        Assert.Contains("did not register within 1 s: start its registrar", result.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("promote")]
    [InlineData("ring", "--add", "not-an-address")]
    [InlineData("check", "--sample", "-1")]
    [InlineData("no-such-command")]
    public async Task Bad_command_lines_exit_2(params string[] arguments)
    {
        var result = await RunAsync(arguments);
        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.StartsWith("ringctl: ", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Missing_credential_is_a_usage_error()
    {
        var result = await RingctlProcess.RunAsync(["status", .. fixture.Target], zkAuth: null);
        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("--zk-auth (or REDISRING_ZK_AUTH) is required", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Add_follows_a_new_nodes_warm_up_until_it_is_up_and_drain_follows_it_out()
    {
        var redis = await fixture.Cluster.StartRedisAsync();
        var address = RingctlClusterFixture.AddressOf(redis);
        var registrar = fixture.Cluster.StartRegistrar(redis);
        var added = await RunAsync("add", "--node", address.ToString(), "--follow", "--timeout-s", "90", "--json");
        Assert.True(added.ExitCode == 0, added.ToString());
        Assert.Equal("up", added.Json.GetProperty("state").GetString());
        await RingCluster.WaitForRingAsync(fixture.Proxy, r => r.Count == 4 && r.Values.All(s => s == "up"), "the added node up in the proxy");
        var status = (await RunAsync("status", "--json")).Json;
        Assert.True(status.GetProperty("nodes").EnumerateArray().Single(n => n.GetProperty("address").GetString() == address.ToString()).GetProperty("keys").GetInt64() > 0);

        var drained = await RunAsync("drain", "--node", address.ToString(), "--follow", "--timeout-s", "90");
        Assert.True(drained.ExitCode == 0, drained.ToString());
        Assert.Contains($"{address} is leaving", drained.Stdout, StringComparison.Ordinal);
        Assert.Contains($"{address} drained and removed", drained.Stdout, StringComparison.Ordinal);
        Assert.Null(await fixture.Cluster.ReadNodeAsync(address));
        Assert.Equal(0, await registrar.WaitForExitAsync(TimeSpan.FromSeconds(20)));
        await RingCluster.WaitForRingAsync(fixture.Proxy, r => r.Count == 3, "the drained node gone from the proxy");
        var check = await RunAsync("check");
        output.WriteLine(check.ToString());
        Assert.Contains("missing on up owners: 0;", check.Stdout, StringComparison.Ordinal);
    }

    private async Task<ToolProcess.Result> RunAsync(params string[] arguments)
    {
        var result = await fixture.RunAsync(arguments);
        output.WriteLine($"ringctl {string.Join(' ', arguments)}: {result}");
        return result;
    }
}
