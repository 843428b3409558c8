using System.Text;
using RedisRing.Ring;
using RedisRing.Testing;
using Xunit.Abstractions;

namespace RedisRing.Proxy.Tests.Integration;

/// <summary>
/// Issue 16, points 2, 3, 5, 8 and 9 against three real redis-servers: a slow command is not a dead
/// node, a copy's server-state error never beats another copy's success and gets that copy
/// repaired, EVALSHA survives a copy that lost its script cache, the multi-key rule does not
/// depend on where the ring puts keys today, KEYS is refused by default and DBSIZE counts, a
/// broadcast names the nodes that refused it.
/// </summary>
public sealed class SlowCommandsAndCopyOutcomesTests(ITestOutputHelper output) : IAsyncLifetime
{
    // Runs for 1.5 s on the server (busy, answering no connection), then increments KEYS[1].
    private const string BusyScript =
        "local t = redis.call('TIME') local start = t[1] * 1000000 + t[2] " +
        "repeat local n = redis.call('TIME') until n[1] * 1000000 + n[2] - start > 1500000 " +
        "return redis.call('INCR', KEYS[1])";

    private RedisRingCluster _cluster = null!;
    private HashRing _ring = null!;

    public async Task InitializeAsync()
    {
        _cluster = await RedisRingCluster.StartAsync(output);
        _ring = HashRing.Create([.. _cluster.Nodes.Select(n => RingNode.FromEndpoint("127.0.0.1", n.Port))], new RingOptions { Replicas = 2 });
    }

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    private static async Task WaitForAsync(Func<Task<bool>> condition, string what, TimeSpan within)
    {
        var started = System.Diagnostics.Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(started.Elapsed < within, $"still waiting after {within.TotalSeconds} s for: {what}");
            await Task.Delay(50);
        }
    }

    private ReplicaSet Locate(string key) => _ring.Locate(Encoding.UTF8.GetBytes(key));

    /// <summary>A key (prefix + n) whose primary is node <paramref name="primary"/>.</summary>
    private string KeyWithPrimary(int primary, string prefix) =>
        Enumerable.Range(0, 10_000).Select(i => prefix + i).First(k => Locate(k).Writes[0] == primary);

    [Fact]
    public async Task A_script_that_runs_1_5_s_gets_its_reply_and_no_node_is_marked_down()
    {
        var key = KeyWithPrimary(0, "busy:");
        var other = KeyWithPrimary(0, "other:");
        await using var client = await RespConnection.ConnectAsync(_cluster.ProxyPort);
        await using var reader = await RespConnection.ConnectAsync(_cluster.ProxyPort);
        Assert.Equal("+OK\r\n", await reader.CommandAsync("SET", other, "still-readable"));

        var script = client.CommandAsync("EVAL", BusyScript, "1", key);
        await Task.Delay(700);
        // Meanwhile another client reads a key of the busy primary: it gets its value (from the
        // replica while the primary is stalled), not an error.
        Assert.Equal("$14\r\nstill-readable\r\n", await reader.CommandAsync("GET", other));

        Assert.Equal(":1\r\n", await script);
        var ring = await client.CommandAsync("INFO", "ring");
        Assert.DoesNotContain("state=down", ring, StringComparison.Ordinal);
        foreach (var copy in Locate(key).Writes)
        {
            Assert.Equal("$1\r\n1\r\n", await _cluster.Nodes[copy].CommandAsync("GET", key));
        }
    }

    [Fact]
    public async Task A_copy_out_of_memory_does_not_fail_the_write_and_is_repaired_before_it_serves_reads()
    {
        var key = KeyWithPrimary(0, "oom:");
        var primary = _cluster.Nodes[0];
        var replica = _cluster.Nodes[Locate(key).Writes[1]];
        await using var client = await RespConnection.ConnectAsync(_cluster.ProxyPort);
        Assert.Equal("+OK\r\n", await client.CommandAsync("SET", key, "old"));
        Assert.Equal("+OK\r\n", await primary.CommandAsync("CONFIG", "SET", "maxmemory", "1"));
        try
        {
            // The primary answers OOM, the replica OK: the client gets the success.
            Assert.Equal("+OK\r\n", await client.CommandAsync("SET", key, "new"));
            Assert.Equal("$3\r\nnew\r\n", await replica.CommandAsync("GET", key));
            Assert.Equal("$3\r\nold\r\n", await primary.CommandAsync("GET", key));

            Assert.Matches("diverged_copies=[1-9]", await client.CommandAsync("INFO", "ring"));

            // The primary missed the write: no read may return its old value.
            for (var i = 0; i < 20; i++)
            {
                Assert.Equal("$3\r\nnew\r\n", await client.CommandAsync("GET", key));
            }
        }
        finally
        {
            Assert.Equal("+OK\r\n", await primary.CommandAsync("CONFIG", "SET", "maxmemory", "0"));
        }

        // Out of memory no more: the repair copies the key and the primary serves reads again.
        await WaitForAsync(async () => await primary.CommandAsync("GET", key) == "$3\r\nnew\r\n", "the primary repaired", TimeSpan.FromSeconds(20));
        await WaitForAsync(async () => !(await client.CommandAsync("INFO", "ring")).Contains("catching", StringComparison.Ordinal), "every node serving reads again", TimeSpan.FromSeconds(20));
    }

    [Fact]
    public async Task Evalsha_on_a_copy_that_lost_its_script_cache_runs_the_script_once_on_every_copy()
    {
        const string script = "return redis.call('INCR', KEYS[1])";
        var key = KeyWithPrimary(1, "sha:");
        await using var client = await RespConnection.ConnectAsync(_cluster.ProxyPort);
        var load = await client.CommandAsync("SCRIPT", "LOAD", script);
        var sha = load.Split("\r\n")[1];
        Assert.Equal(":1\r\n", await client.CommandAsync("EVALSHA", sha, "1", key));

        // The primary restarts its script cache (as a restarted server would); the replica keeps it.
        Assert.Equal("+OK\r\n", await _cluster.Nodes[1].CommandAsync("SCRIPT", "FLUSH"));
        Assert.Equal(":2\r\n", await client.CommandAsync("EVALSHA", sha, "1", key));
        foreach (var copy in Locate(key).Writes)
        {
            Assert.Equal("$1\r\n2\r\n", await _cluster.Nodes[copy].CommandAsync("GET", key));
        }

        // Every copy lost it: the client gets NOSCRIPT (and runs EVAL itself); nothing ran.
        foreach (var node in _cluster.Nodes)
        {
            await node.CommandAsync("SCRIPT", "FLUSH");
        }

        var unknown = await client.CommandAsync("EVALSHA", "ffffffffffffffffffffffffffffffffffffffff", "1", key);
        Assert.StartsWith("-NOSCRIPT", unknown, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Untagged_keys_cannot_meet_in_one_command_even_when_todays_ring_puts_them_together()
    {
        var first = "same:0";
        var second = Enumerable.Range(1, 1000).Select(i => $"same:{i}").First(k => Locate(k).Id == Locate(first).Id);
        await using var client = await RespConnection.ConnectAsync(_cluster.ProxyPort);
        var reply = await client.CommandAsync("RENAME", first, second);
        Assert.StartsWith("-CROSSSLOT", reply, StringComparison.Ordinal);
        Assert.Contains("hash tag", reply, StringComparison.Ordinal);
        Assert.Equal("+OK\r\n", await client.CommandAsync("SET", "{t}a", "1"));
        Assert.Equal("+OK\r\n", await client.CommandAsync("RENAME", "{t}a", "{t}b"));
    }

    [Fact]
    public async Task Keys_is_refused_by_default_and_dbsize_counts_each_key_once_from_the_nodes_counts()
    {
        await using var client = await RespConnection.ConnectAsync(_cluster.ProxyPort);
        Assert.StartsWith("-ERR KEYS is disabled", await client.CommandAsync("KEYS", "*"), StringComparison.Ordinal);
        for (var i = 0; i < 90; i++)
        {
            Assert.Equal("+OK\r\n", await client.CommandAsync("SET", $"count:{i}", "x"));
        }

        Assert.Equal(":90\r\n", await client.CommandAsync("DBSIZE"));
    }

    [Fact]
    public async Task A_broadcast_that_one_node_refuses_names_that_node_and_still_reaches_the_others()
    {
        const string Library = "#!lua name=broadcastlib\nredis.register_function('broadcastfn', function(keys, args) return 7 end)";
        await using (var direct = await RespConnection.ConnectAsync(_cluster.Nodes[1].Port))
        {
            Assert.Equal("$12\r\nbroadcastlib\r\n", await direct.CommandAsync("FUNCTION", "LOAD", Library));
        }

        await using var client = await RespConnection.ConnectAsync(_cluster.ProxyPort);
        var reply = await client.CommandAsync("FUNCTION", "LOAD", Library);
        Assert.StartsWith($"-ERR FUNCTION LOAD failed on 1 of 3 nodes: 127.0.0.1:{_cluster.Nodes[1].Port}: ERR Library 'broadcastlib' already exists", reply, StringComparison.Ordinal);
        foreach (var node in _cluster.Nodes)
        {
            await using var direct = await RespConnection.ConnectAsync(node.Port);
            Assert.Contains("broadcastlib", await direct.CommandAsync("FUNCTION", "LIST"), StringComparison.Ordinal);
        }

        Assert.Equal(":7\r\n", await client.CommandAsync("FCALL", "broadcastfn", "1", "any-key"));
        Assert.Equal("$12\r\nbroadcastlib\r\n", await client.CommandAsync("FUNCTION", "LOAD", "REPLACE", Library));
    }
}
