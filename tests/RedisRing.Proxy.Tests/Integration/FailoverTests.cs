using System.Collections.Concurrent;
using System.Diagnostics;
using RedisRing.Testing;
using Xunit.Abstractions;

namespace RedisRing.Proxy.Tests.Integration;

/// <summary>Node failures under load: no client read may fail or miss an acknowledged write.</summary>
public sealed class FailoverTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Killing_one_of_three_nodes_under_load_fails_no_read_and_loses_no_acknowledged_write()
    {
        await using var cluster = await RedisRingCluster.StartAsync(output);
        var acknowledged = new ConcurrentDictionary<string, string>();
        var readFailures = new ConcurrentBag<string>();
        var writeFailures = new ConcurrentBag<string>();
        var reads = 0L;
        using var stop = new CancellationTokenSource();

        async Task Worker(int worker)
        {
            await using var client = await RespConnection.ConnectAsync(cluster.ProxyPort);
            var random = new Random(worker);
            var written = new List<string>();
            for (var seq = 0; !stop.IsCancellationRequested; seq++)
            {
                var key = $"w{worker}:{seq}";
                var value = $"v{worker}.{seq}";
                var reply = await client.CommandAsync("SET", key, value);
                if (reply == "+OK\r\n")
                {
                    acknowledged[key] = value;
                    written.Add(key);
                }
                else
                {
                    writeFailures.Add($"SET {key}: {reply}");
                }

                for (var r = 0; r < 3 && written.Count > 0; r++)
                {
                    var readKey = written[random.Next(written.Count)];
                    var expected = acknowledged[readKey];
                    var got = await client.CommandAsync("GET", readKey);
                    Interlocked.Increment(ref reads);
                    if (got != $"${expected.Length}\r\n{expected}\r\n")
                    {
                        readFailures.Add($"GET {readKey}: {got.Trim()}");
                    }
                }
            }
        }

        var workers = Enumerable.Range(0, 8).Select(Worker).ToList();
        await Task.Delay(1000);
        var readsBeforeKill = Interlocked.Read(ref reads);
        cluster.Nodes[1].Kill();
        var killedAt = Stopwatch.StartNew();
        await Task.Delay(3000);
        await stop.CancelAsync();
        await Task.WhenAll(workers);
        output.WriteLine($"reads: {reads} ({reads - readsBeforeKill} after the kill), acknowledged writes: {acknowledged.Count}");

        Assert.Empty(readFailures);
        Assert.Empty(writeFailures);
        Assert.True(Interlocked.Read(ref reads) - readsBeforeKill > 100, "too few reads after the kill to prove anything");

        await using var check = await RespConnection.ConnectAsync(cluster.ProxyPort);
        foreach (var (key, value) in acknowledged)
        {
            Assert.Equal($"${value.Length}\r\n{value}\r\n", await check.CommandAsync("GET", key));
        }

        Assert.Contains("state=down", await check.CommandAsync("INFO", "ring"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_node_that_missed_writes_while_paused_replays_them_before_serving_reads()
    {
        await using var cluster = await RedisRingCluster.StartAsync(output, proxyArguments: ["--liveness-timeout-ms", "300"]);
        await using var client = await RespConnection.ConnectAsync(cluster.ProxyPort);
        for (var i = 0; i < 100; i++)
        {
            Assert.Equal("+OK\r\n", await client.CommandAsync("SET", $"h:{i}", "old"));
        }

        // Pause the node holding the most copies, so that the test checks many replayed keys.
        var sizes = new List<(RedisServer Node, int Keys)>();
        foreach (var node in cluster.Nodes)
        {
            sizes.Add((node, int.Parse((await node.CommandAsync("DBSIZE"))[1..].Trim(), System.Globalization.CultureInfo.InvariantCulture)));
        }

        var paused = sizes.MaxBy(s => s.Keys).Node;
        paused.Signal("STOP");
        try
        {
            for (var i = 0; i < 100; i++)
            {
                // Every write must still succeed: the paused copy is skipped and remembered.
                Assert.Equal("+OK\r\n", await client.CommandAsync("SET", $"h:{i}", "new"));
                Assert.Equal("$3\r\nnew\r\n", await client.CommandAsync("GET", $"h:{i}"));
            }

            Assert.Equal(":1\r\n", await client.CommandAsync("DEL", "h:0"));
        }
        finally
        {
            paused.Signal("CONT");
        }

        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (!(await client.CommandAsync("INFO", "ring")).Split("\r\n").Where(l => l.StartsWith("node", StringComparison.Ordinal)).All(l => l.Contains("state=up", StringComparison.Ordinal)))
        {
            Assert.True(DateTime.UtcNow < deadline, "the paused node did not come back up");
            await Task.Delay(100);
        }

        // The node's own copies now hold the new values: read it directly, bypassing the proxy.
        var onPausedNode = 0;
        for (var i = 1; i < 100; i++)
        {
            var direct = await paused.CommandAsync("GET", $"h:{i}");
            Assert.NotEqual("$3\r\nold\r\n", direct);
            onPausedNode += direct == "$3\r\nnew\r\n" ? 1 : 0;
        }

        Assert.True(onPausedNode > 20, $"only {onPausedNode} keys on the paused node");
        Assert.Equal("$-1\r\n", await paused.CommandAsync("GET", "h:0"));
        Assert.Contains("hinted_keys=0", await client.CommandAsync("INFO", "ring"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_node_that_restarted_empty_takes_writes_but_serves_no_reads()
    {
        await using var cluster = await RedisRingCluster.StartAsync(output);
        await using var client = await RespConnection.ConnectAsync(cluster.ProxyPort);
        for (var i = 0; i < 200; i++)
        {
            Assert.Equal("+OK\r\n", await client.CommandAsync("SET", $"r:{i}", $"{i}"));
        }

        var node = cluster.Nodes[2];
        node.Kill();
        await node.StartAsync();
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (!(await client.CommandAsync("INFO", "ring")).Contains("state=needs_repair", StringComparison.Ordinal))
        {
            Assert.True(DateTime.UtcNow < deadline, "the restarted node was not marked as needing repair");
            await Task.Delay(100);
        }

        for (var i = 0; i < 200; i++)
        {
            Assert.Equal($"${i.ToString(System.Globalization.CultureInfo.InvariantCulture).Length}\r\n{i}\r\n", await client.CommandAsync("GET", $"r:{i}"));
        }

        Assert.Equal("+OK\r\n", await client.CommandAsync("SET", "after-restart", "x"));
        var holders = 0;
        foreach (var server in cluster.Nodes)
        {
            holders += await server.CommandAsync("GET", "after-restart") == "$1\r\nx\r\n" ? 1 : 0;
        }

        Assert.Equal(2, holders);
    }
}
