using System.Collections.Concurrent;
using RedisRing.Testing;
using Xunit.Abstractions;

namespace RedisRing.Proxy.Tests.Integration;

/// <summary>Transactions and WAIT while nodes fail (docs/consistency.md, "Transactions").</summary>
public sealed class TransactionFailoverTests(ITestOutputHelper output)
{
    /// <summary>The nodes that hold <paramref name="key"/>, read directly.</summary>
    private static async Task<List<RedisServer>> HoldersAsync(RedisRingCluster cluster, string key)
    {
        var holders = new List<RedisServer>();
        foreach (var node in cluster.Nodes)
        {
            if (node.IsRunning && await node.CommandAsync("EXISTS", key) == ":1\r\n")
            {
                holders.Add(node);
            }
        }

        return holders;
    }

    /// <summary>The node holding a client's WATCH connection (the last command of one of its clients was WATCH).</summary>
    private static async Task<RedisServer> WatchingNodeAsync(RedisRingCluster cluster)
    {
        foreach (var node in cluster.Nodes)
        {
            if (node.IsRunning && (await node.CommandAsync("CLIENT", "LIST")).Contains("cmd=watch", StringComparison.Ordinal))
            {
                return node;
            }
        }

        throw new InvalidOperationException("no node has a WATCH connection");
    }

    [Fact]
    public async Task A_primary_killed_between_watch_and_exec_makes_exec_abort_and_a_retry_commits_on_the_next_copy()
    {
        await using var cluster = await RedisRingCluster.StartAsync(output);
        await using var client = await RespConnection.ConnectAsync(cluster.ProxyPort);
        Assert.Equal("+OK\r\n", await client.CommandAsync("SET", "{dead}:k", "1"));
        Assert.Equal("+OK\r\n", await client.CommandAsync("WATCH", "{dead}:k"));
        var primary = await WatchingNodeAsync(cluster);
        Assert.Contains(primary, await HoldersAsync(cluster, "{dead}:k"));
        primary.Kill();

        Assert.Equal("+OK\r\n", await client.CommandAsync("MULTI"));
        Assert.Equal("+QUEUED\r\n", await client.CommandAsync("INCR", "{dead}:k"));
        Assert.Equal("*-1\r\n", await client.CommandAsync("EXEC"));
        var survivor = Assert.Single(await HoldersAsync(cluster, "{dead}:k"));
        Assert.Equal("$1\r\n1\r\n", await survivor.CommandAsync("GET", "{dead}:k"));

        // The client's retry watches the copy that serves the key now.
        Assert.Equal("+OK\r\n", await client.CommandAsync("WATCH", "{dead}:k"));
        Assert.Equal("+OK\r\n", await client.CommandAsync("MULTI"));
        Assert.Equal("+QUEUED\r\n", await client.CommandAsync("INCR", "{dead}:k"));
        Assert.Equal("*1\r\n:2\r\n", await client.CommandAsync("EXEC"));
        Assert.Equal("$1\r\n2\r\n", await survivor.CommandAsync("GET", "{dead}:k"));
    }

    [Fact]
    public async Task A_primary_killed_while_running_a_watched_exec_gives_an_unknown_outcome_error_and_no_other_copy_runs_it()
    {
        await using var cluster = await RedisRingCluster.StartAsync(output);
        await using var client = await RespConnection.ConnectAsync(cluster.ProxyPort);
        Assert.Equal("+OK\r\n", await client.CommandAsync("SET", "{busy}:k", "1"));
        Assert.Equal("+OK\r\n", await client.CommandAsync("WATCH", "{busy}:k"));
        var primary = await WatchingNodeAsync(cluster);
        var other = Assert.Single(await HoldersAsync(cluster, "{busy}:k"), n => n != primary);
        Assert.Equal("+OK\r\n", await client.CommandAsync("MULTI"));
        Assert.Equal("+QUEUED\r\n", await client.CommandAsync("INCR", "{busy}:k"));
        // Keeps the primary inside the transaction for two seconds (a script with its key).
        const string Busy = "local t = redis.call('TIME'); local stop = t[1] * 1000000 + t[2] + 2000000; repeat t = redis.call('TIME') until t[1] * 1000000 + t[2] > stop; return 1";
        Assert.Equal("+QUEUED\r\n", await client.CommandAsync("EVAL", Busy, "1", "{busy}:k"));
        await client.SendAsync("EXEC");
        await Task.Delay(500);
        primary.Kill();

        Assert.StartsWith("-ERR the transaction's outcome on node", await client.ReadReplyAsync(), StringComparison.Ordinal);
        Assert.Equal("$1\r\n1\r\n", await other.CommandAsync("GET", "{busy}:k"));
        Assert.Equal("$1\r\n1\r\n", await client.CommandAsync("GET", "{busy}:k"));
    }

    [Fact]
    public async Task Killing_a_node_during_a_stream_of_transactions_loses_no_committed_transaction()
    {
        await using var cluster = await RedisRingCluster.StartAsync(output);
        const int Workers = 6;
        var committed = new int[Workers];
        var failures = new ConcurrentBag<string>();
        var afterKill = 0;
        var killed = 0;
        using var stop = new CancellationTokenSource();

        // Half the workers watch their counter (WATCH, GET, MULTI, SET, EXEC: a compare-and-set),
        // the other half run plain MULTI/EXEC blocks; each counts the transactions that committed.
        async Task Worker(int worker)
        {
            await using var client = await RespConnection.ConnectAsync(cluster.ProxyPort);
            var counter = $"{{kill{worker}}}:n";
            var log = $"{{kill{worker}}}:log";
            while (!stop.IsCancellationRequested)
            {
                string exec;
                if (worker % 2 == 0)
                {
                    await client.CommandAsync("WATCH", counter);
                    var current = await client.CommandAsync("GET", counter);
                    var value = current.StartsWith("$-1", StringComparison.Ordinal) ? 0 : int.Parse(current.Split("\r\n")[1], System.Globalization.CultureInfo.InvariantCulture);
                    await client.CommandAsync("MULTI");
                    await client.CommandAsync("SET", counter, (value + 1).ToString(System.Globalization.CultureInfo.InvariantCulture));
                    await client.CommandAsync("RPUSH", log, "x");
                    exec = await client.CommandAsync("EXEC");
                }
                else
                {
                    await client.CommandAsync("MULTI");
                    await client.CommandAsync("INCR", counter);
                    await client.CommandAsync("RPUSH", log, "x");
                    exec = await client.CommandAsync("EXEC");
                }

                if (exec.StartsWith("*2\r\n", StringComparison.Ordinal))
                {
                    committed[worker]++;
                    if (Volatile.Read(ref killed) != 0)
                    {
                        Interlocked.Increment(ref afterKill);
                    }
                }
                else if (exec != "*-1\r\n")
                {
                    failures.Add(exec.Trim());
                }
            }
        }

        var workers = Enumerable.Range(0, Workers).Select(Worker).ToList();
        await Task.Delay(1000);
        cluster.Nodes[1].Kill();
        Volatile.Write(ref killed, 1);
        await Task.Delay(2000);
        await stop.CancelAsync();
        await Task.WhenAll(workers);
        output.WriteLine($"committed: {string.Join(", ", committed)}; after the kill: {afterKill}; failures: {string.Join(" | ", failures)}");

        Assert.True(afterKill > 50, "too few transactions after the kill to prove anything");
        // A transaction whose primary died after it was sent may answer an error (outcome unknown);
        // a transaction without WATCH fails only if every copy failed it.
        Assert.All(failures, f => Assert.StartsWith("-ERR the transaction's outcome", f, StringComparison.Ordinal));

        await using var check = await RespConnection.ConnectAsync(cluster.ProxyPort);
        for (var worker = 0; worker < Workers; worker++)
        {
            var counter = $"{{kill{worker}}}:n";
            var log = $"{{kill{worker}}}:log";
            var value = int.Parse((await check.CommandAsync("GET", counter)).Split("\r\n")[1], System.Globalization.CultureInfo.InvariantCulture);
            var length = int.Parse((await check.CommandAsync("LLEN", log))[1..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
            // Every committed transaction is there once, both of its commands or neither.
            Assert.Equal(value, length);
            Assert.InRange(value, committed[worker], committed[worker] + failures.Count);
            var holders = await HoldersAsync(cluster, counter);
            Assert.NotEmpty(holders);
            var copies = new HashSet<string>();
            foreach (var node in holders)
            {
                copies.Add(await node.CommandAsync("GET", counter) + await node.CommandAsync("LLEN", log));
            }

            Assert.Single(copies);
        }
    }

    [Fact]
    public async Task A_node_paused_during_transactions_replays_them_and_its_copies_equal_the_others()
    {
        await using var cluster = await RedisRingCluster.StartAsync(output, proxyArguments: ["--liveness-timeout-ms", "300"]);
        await using var client = await RespConnection.ConnectAsync(cluster.ProxyPort);
        for (var i = 0; i < 30; i++)
        {
            Assert.Equal("+OK\r\n", await client.CommandAsync("SET", $"{{p{i}}}:n", "0"));
        }

        var paused = cluster.Nodes[0];
        paused.Signal("STOP");
        try
        {
            for (var round = 0; round < 3; round++)
            {
                for (var i = 0; i < 30; i++)
                {
                    Assert.Equal("+OK\r\n", await client.CommandAsync("MULTI"));
                    Assert.Equal("+QUEUED\r\n", await client.CommandAsync("INCR", $"{{p{i}}}:n"));
                    Assert.Equal("+QUEUED\r\n", await client.CommandAsync("SADD", $"{{p{i}}}:s", round.ToString(System.Globalization.CultureInfo.InvariantCulture)));
                    Assert.Equal($"*2\r\n:{round + 1}\r\n:1\r\n", await client.CommandAsync("EXEC"));
                }
            }
        }
        finally
        {
            paused.Signal("CONT");
        }

        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!(await client.CommandAsync("INFO", "ring")).Split("\r\n").Where(l => l.StartsWith("node", StringComparison.Ordinal)).All(l => l.Contains("state=up", StringComparison.Ordinal)))
        {
            Assert.True(DateTime.UtcNow < deadline, "the paused node did not come back up");
            await Task.Delay(100);
        }

        for (var i = 0; i < 30; i++)
        {
            var holders = await HoldersAsync(cluster, $"{{p{i}}}:n");
            Assert.Equal(2, holders.Count);
            foreach (var node in holders)
            {
                Assert.Equal("$1\r\n3\r\n", await node.CommandAsync("GET", $"{{p{i}}}:n"));
                Assert.Equal(":3\r\n", await node.CommandAsync("SCARD", $"{{p{i}}}:s"));
            }
        }
    }

    [Fact]
    public async Task Wait_answers_the_copies_that_acknowledged_the_writes_and_fewer_when_a_copy_is_down()
    {
        await using var cluster = await RedisRingCluster.StartAsync(output);
        await using var client = await RespConnection.ConnectAsync(cluster.ProxyPort);
        Assert.Equal("+OK\r\n", await client.CommandAsync("SET", "wait:k", "1"));
        Assert.Equal(":2\r\n", await client.CommandAsync("WAIT", "2", "0"));
        Assert.Equal("+OK\r\n", await client.CommandAsync("MULTI"));
        Assert.Equal("+QUEUED\r\n", await client.CommandAsync("INCR", "wait:k"));
        Assert.Equal("*1\r\n:2\r\n", await client.CommandAsync("EXEC"));
        Assert.Equal(":2\r\n", await client.CommandAsync("WAIT", "1", "100"));
        Assert.Equal("-ERR timeout is negative\r\n", await client.CommandAsync("WAIT", "1", "-1"));
        Assert.StartsWith("-ERR WAITAOF is not supported by RedisRing", await client.CommandAsync("WAITAOF", "1", "1", "0"), StringComparison.Ordinal);

        (await HoldersAsync(cluster, "wait:k"))[0].Kill();
        await Task.Delay(200);
        Assert.Equal("+OK\r\n", await client.CommandAsync("SET", "wait:k", "3"));
        Assert.Equal(":1\r\n", await client.CommandAsync("WAIT", "2", "0"));

        // Pipelined: WAIT answers once the writes before it completed.
        await client.SendRawAsync([.. RawRedis.Encode("SET", "wait:k", "4"), .. RawRedis.Encode("WAIT", "2", "0")]);
        Assert.Equal("+OK\r\n", await client.ReadReplyAsync());
        Assert.Equal(":1\r\n", await client.ReadReplyAsync());
    }
}
