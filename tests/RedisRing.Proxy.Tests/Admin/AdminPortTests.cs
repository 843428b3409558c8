using System.Net;
using System.Text.Json.Nodes;
using RedisRing.Testing;
using Xunit.Abstractions;

namespace RedisRing.Proxy.Tests.Admin;

/// <summary>The proxy's admin port against real redis-servers: /metrics, /healthz and /api/ring.</summary>
public sealed class AdminPortTests(ITestOutputHelper output)
{
    private static readonly TimeSpan s_limit = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task Metrics_are_valid_Prometheus_text_and_their_counters_move_with_traffic()
    {
        using var admin = AdminPort.OnFreePort();
        await using var cluster = await RedisRingCluster.StartAsync(output, nodes: 3, replicas: 2, admin.Arguments);
        var before = await admin.ScrapeAsync();
        await using (var client = await RespConnection.ConnectAsync(cluster.ProxyPort))
        {
            for (var i = 0; i < 20; i++)
            {
                Assert.Equal("+OK\r\n", await client.CommandAsync("SET", "k" + i, "v"));
                Assert.Equal("$1\r\nv\r\n", await client.CommandAsync("GET", "k" + i));
            }
        }

        var after = await admin.ScrapeAsync();
        Assert.Equal(20, after["redisring_proxy_commands_total{command=\"set\"}"] - before.GetValueOrDefault("redisring_proxy_commands_total{command=\"set\"}"));
        Assert.Equal(20, after["redisring_proxy_commands_total{command=\"get\"}"] - before.GetValueOrDefault("redisring_proxy_commands_total{command=\"get\"}"));
        Assert.True(after["redisring_proxy_request_duration_seconds_count"] - before["redisring_proxy_request_duration_seconds_count"] >= 40);
        Assert.True(after["redisring_proxy_commands_processed_total"] - before["redisring_proxy_commands_processed_total"] >= 40);
        Assert.True(after["redisring_proxy_received_bytes_total"] > before["redisring_proxy_received_bytes_total"]);
        Assert.True(after["redisring_proxy_sent_bytes_total"] > before["redisring_proxy_sent_bytes_total"]);
        // Each SET goes to both copies: 40 node replies at least, spread over the nodes.
        var nodeReplies = cluster.Nodes.Sum(n => after[$"redisring_proxy_node_request_duration_seconds_count{{node=\"{n.Endpoint}\"}}"]);
        Assert.True(nodeReplies >= 40, $"node replies: {nodeReplies}");
        Assert.Equal(1, after["redisring_proxy_ring_version"]);
        Assert.Equal(3, after["redisring_proxy_ring_nodes"]);
        Assert.Equal(1, after["redisring_proxy_ring_serviceable"]);
        Assert.Contains(after.Keys, k => k.StartsWith("process_cpu_seconds_total", StringComparison.Ordinal));
        Assert.Contains(after.Keys, k => k.StartsWith("dotnet_collection_count_total", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_killed_node_shows_down_in_its_metrics_and_in_the_event_log()
    {
        using var admin = AdminPort.OnFreePort();
        await using var cluster = await RedisRingCluster.StartAsync(output, nodes: 3, replicas: 2, admin.Arguments);
        var killed = cluster.Nodes[1].Endpoint;
        var up = $"redisring_proxy_node_up{{node=\"{killed}\"}}";
        Assert.Equal(1, (await admin.ScrapeAsync())[up]);

        cluster.Nodes[1].Kill();
        var samples = await admin.ScrapeUntilAsync(s => s[up] == 0, s_limit);

        Assert.Equal(0, samples[up]);
        Assert.Equal(1, samples[$"redisring_proxy_node_state{{node=\"{killed}\",state=\"down\"}}"]);
        Assert.Equal(1, samples[$"redisring_proxy_node_up{{node=\"{cluster.Nodes[0].Endpoint}\"}}"]);
        var events = JsonNode.Parse(await admin.GetStringAsync("api/events"))!["events"]!.AsArray();
        Assert.Contains(events, e => (string?)e!["node"] == killed && (string?)e["kind"] == "down");
    }

    [Fact]
    public async Task Healthz_turns_503_when_every_copy_of_some_key_range_is_down()
    {
        using var admin = AdminPort.OnFreePort();
        await using var cluster = await RedisRingCluster.StartAsync(output, nodes: 3, replicas: 2, admin.Arguments);
        using (var healthy = await admin.GetAsync("healthz"))
        {
            Assert.Equal(HttpStatusCode.OK, healthy.StatusCode);
        }

        // One node down: every key still has a readable copy.
        cluster.Nodes[0].Kill();
        await admin.ScrapeUntilAsync(s => s[$"redisring_proxy_node_up{{node=\"{cluster.Nodes[0].Endpoint}\"}}"] == 0, s_limit);
        using (var degraded = await admin.GetAsync("healthz"))
        {
            Assert.Equal(HttpStatusCode.OK, degraded.StatusCode);
        }

        // Two of three down with two copies per key: the ranges whose copies are both on them are lost.
        cluster.Nodes[1].Kill();
        var deadline = DateTime.UtcNow + s_limit;
        HttpResponseMessage response;
        while (true)
        {
            response = await admin.GetAsync("healthz");
            if (response.StatusCode != HttpStatusCode.OK || DateTime.UtcNow > deadline)
            {
                break;
            }

            response.Dispose();
            await Task.Delay(100);
        }

        using (response)
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.Contains("has no readable copy", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Api_ring_matches_INFO_ring()
    {
        using var admin = AdminPort.OnFreePort();
        await using var cluster = await RedisRingCluster.StartAsync(output, nodes: 3, replicas: 2, admin.Arguments);
        await using var client = await RespConnection.ConnectAsync(cluster.ProxyPort);
        var info = (await client.CommandAsync("INFO", "ring")).Split("\r\n")
            .Where(l => l.Contains(':', StringComparison.Ordinal))
            .ToDictionary(l => l[..l.IndexOf(':', StringComparison.Ordinal)], l => l[(l.IndexOf(':', StringComparison.Ordinal) + 1)..]);
        var ring = JsonNode.Parse(await admin.GetStringAsync("api/ring"))!;

        Assert.Equal(info["ring_version"], ring["version"]!.ToString());
        Assert.Equal(info["ring_replicas"], ring["replicas"]!.ToString());
        Assert.Equal(info["ring_nodes"], ring["nodes"]!.AsArray().Count.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.True((bool)ring["serviceable"]!);
        var ownership = 0.0;
        foreach (var node in ring["nodes"]!.AsArray())
        {
            var fields = info["node" + node!["index"]].Split(',').ToDictionary(f => f[..f.IndexOf('=', StringComparison.Ordinal)], f => f[(f.IndexOf('=', StringComparison.Ordinal) + 1)..]);
            Assert.Equal(fields["name"], (string?)node["name"]);
            Assert.Equal(fields["address"], (string?)node["address"]);
            Assert.Equal(fields["weight"], node["weight"]!.ToString());
            Assert.Equal(fields["membership"], (string?)node["membership"]);
            Assert.Equal(fields["state"], (string?)node["state"]);
            Assert.Equal(fields["run_id"], (string?)node["runId"]);
            ownership += (double)node["ownership"]!;
        }

        // The arcs cover the circle once, each on a node of the ring.
        Assert.Equal(1.0, ownership, 3);
        var arcs = ring["arcs"]!.AsArray();
        Assert.Equal(0.0, (double)arcs[0]!["start"]!);
        Assert.Equal(1.0, (double)arcs[^1]!["end"]!);
        Assert.All(arcs, a => Assert.InRange((int)a!["node"]!, 0, 2));
    }

    [Fact]
    public async Task Unknown_paths_get_404_and_the_port_is_off_without_the_option()
    {
        using var admin = AdminPort.OnFreePort();
        await using (var cluster = await RedisRingCluster.StartAsync(output, nodes: 1, replicas: 1, admin.Arguments))
        {
            using var missing = await admin.GetAsync("no-such-page");
            Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        }

        await using var without = await RedisRingCluster.StartAsync(output, nodes: 1, replicas: 1);
        await Assert.ThrowsAsync<HttpRequestException>(() => admin.GetAsync("metrics"));
    }
}
