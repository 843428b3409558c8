using System.Diagnostics;
using System.Globalization;
using System.Text;
using RedisRing.Ring;
using RedisRing.Testing;
using Xunit.Abstractions;

namespace RedisRing.Proxy.Tests.Integration;

/// <summary>
/// Blocking commands through the proxy (issue 17, point 3): the wait is the proxy's, the pop is the
/// non-blocking command run like any write, so the copies stay equal; wake-ups come from this
/// proxy's writes (the poll interval is set to a minute here, so nothing else could end the wait
/// in time) and from polls for writes the proxy does not see.
/// </summary>
public sealed class BlockingCommandsTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan NotAnswered = TimeSpan.FromMilliseconds(300);

    private RedisRingCluster _cluster = null!;
    private HashRing _ring = null!;

    public async Task InitializeAsync()
    {
        _cluster = await RedisRingCluster.StartAsync(output, 3, 2, "--blocking-poll-ms", "60000");
        _ring = HashRing.Create([.. _cluster.Nodes.Select(n => RingNode.FromEndpoint("127.0.0.1", n.Port))], new RingOptions { Replicas = 2 });
    }

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task Blpop_is_woken_by_an_rpush_of_another_client_of_the_same_proxy()
    {
        await using var consumer = await RespConnection.ConnectAsync(_cluster.ProxyPort);
        await using var producer = await RespConnection.ConnectAsync(_cluster.ProxyPort);

        var popped = consumer.CommandAsync("BLPOP", "jobs", "0");
        await Task.Delay(NotAnswered);
        Assert.False(popped.IsCompleted, "BLPOP on an empty list answered before anything was pushed");
        Assert.Equal(":1\r\n", await producer.CommandAsync("RPUSH", "jobs", "job-1"));

        Assert.Equal("*2\r\n$4\r\njobs\r\n$5\r\njob-1\r\n", await popped);
        await AssertCopiesEqualAsync("LRANGE", "jobs", "0", "-1");
        Assert.Equal("*0\r\n", await CopiesOf("jobs")[0].CommandAsync("LRANGE", "jobs", "0", "-1"));
    }

    [Fact]
    public async Task Blpop_is_woken_by_a_push_through_another_proxy_within_the_poll_interval()
    {
        await using var polling = _cluster.Own(await ProxyProcess.StartAsync(output, ProxyArguments("--blocking-poll-ms", "50")));
        await using var other = _cluster.Own(await ProxyProcess.StartAsync(output, ProxyArguments()));
        await using var consumer = await RespConnection.ConnectAsync(polling.Port);
        await using var producer = await RespConnection.ConnectAsync(other.Port);

        var popped = consumer.CommandAsync("BRPOP", "mail", "0");
        await Task.Delay(NotAnswered);
        Assert.False(popped.IsCompleted);
        Assert.Equal(":1\r\n", await producer.CommandAsync("LPUSH", "mail", "letter"));

        Assert.Equal("*2\r\n$4\r\nmail\r\n$6\r\nletter\r\n", await popped);
        await AssertCopiesEqualAsync("LRANGE", "mail", "0", "-1");
    }

    [Fact]
    public async Task Every_blocking_command_answers_nil_in_redis_form_after_its_timeout()
    {
        await using var client = await RespConnection.ConnectAsync(_cluster.ProxyPort);
        var direct = _cluster.Nodes[0];
        string[][] commands =
        [
            ["BLPOP", "{t}a", "{t}b", "0.3"],
            ["BRPOP", "{t}a", "0.3"],
            ["BLMOVE", "{t}a", "{t}b", "LEFT", "RIGHT", "0.3"],
            ["BRPOPLPUSH", "{t}a", "{t}b", "0.3"],
            ["BLMPOP", "0.3", "2", "{t}a", "{t}b", "LEFT", "COUNT", "2"],
            ["BZPOPMIN", "{t}z", "0.3"],
            ["BZPOPMAX", "{t}z", "0.3"],
            ["BZMPOP", "0.3", "1", "{t}z", "MIN"],
            ["XREAD", "BLOCK", "300", "STREAMS", "{t}s", "$"],
        ];
        foreach (var command in commands)
        {
            var watch = Stopwatch.StartNew();
            var reply = await client.CommandAsync(command);
            watch.Stop();

            Assert.Equal(await direct.CommandAsync(command), reply);
            Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(290), $"{command[0]} answered after {watch.Elapsed.TotalMilliseconds} ms, before its timeout");
        }
    }

    [Fact]
    public async Task A_pipelined_stream_of_pushes_and_blocking_pops_gets_the_same_replies_as_a_single_redis()
    {
        await using var reference = await RedisServer.StartAsync(output);
        await using var direct = await RespConnection.ConnectAsync(reference.Port);
        await using var proxied = await RespConnection.ConnectAsync(_cluster.ProxyPort);
        var random = new Random(20261207);
        string List() => "{b}l" + random.Next(3).ToString(CultureInfo.InvariantCulture);
        string Zset() => "{b}z" + random.Next(2).ToString(CultureInfo.InvariantCulture);
        string Value() => "v" + random.Next(100).ToString(CultureInfo.InvariantCulture);
        string[] Command() => random.Next(14) switch
        {
            0 or 1 => ["RPUSH", List(), Value(), Value()],
            2 => ["LPUSH", List(), Value()],
            3 or 4 => ["ZADD", Zset(), random.Next(10).ToString(CultureInfo.InvariantCulture), Value()],
            5 => ["BLPOP", List(), List(), "0.05"],
            6 => ["BRPOP", List(), "0.05"],
            7 => ["BLMOVE", List(), List(), "LEFT", "RIGHT", "0.05"],
            8 => ["BRPOPLPUSH", List(), List(), "0.05"],
            9 => ["BLMPOP", "0.05", "2", List(), List(), "RIGHT", "COUNT", "3"],
            10 => ["BZPOPMIN", Zset(), Zset(), "0.05"],
            11 => ["BZPOPMAX", Zset(), "0.05"],
            12 => ["BZMPOP", "0.05", "1", Zset(), "MIN", "COUNT", "2"],
            _ => ["LRANGE", List(), "0", "-1"],
        };

        var compared = 0;
        for (var batch = 0; batch < 40; batch++)
        {
            var commands = Enumerable.Range(0, random.Next(1, 10)).Select(_ => Command()).ToList();
            foreach (var command in commands)
            {
                await direct.SendAsync(command);
                await proxied.SendAsync(command);
            }

            foreach (var command in commands)
            {
                var expected = await direct.ReadReplyAsync();
                var actual = await proxied.ReadReplyAsync();
                Assert.True(expected == actual, $"batch {batch}: {string.Join(' ', command)}\nredis: {expected}\nproxy: {actual}");
                compared++;
            }
        }

        output.WriteLine($"{compared} replies compared");
        foreach (var key in new[] { "{b}l0", "{b}l1", "{b}l2" })
        {
            await AssertCopiesEqualAsync("LRANGE", key, "0", "-1");
        }
    }

    [Fact]
    public async Task Bad_timeouts_and_keys_of_several_hash_tags_get_redis_errors()
    {
        await using var client = await RespConnection.ConnectAsync(_cluster.ProxyPort);
        var direct = _cluster.Nodes[0];
        foreach (var command in new[] { new[] { "BLPOP", "a", "soon" }, ["BLPOP", "a", "-1"], ["XREAD", "BLOCK", "x", "STREAMS", "s", "$"], ["XREAD", "BLOCK", "-5", "STREAMS", "s", "$"], ["BLMPOP", "0.1", "0", "a", "LEFT"] })
        {
            Assert.Equal(await direct.CommandAsync(command), await client.CommandAsync(command));
        }

        Assert.StartsWith("-CROSSSLOT", await client.CommandAsync("BLPOP", "a", "b", "0"), StringComparison.Ordinal);
        Assert.StartsWith("-CROSSSLOT", await client.CommandAsync("BLMOVE", "a", "b", "LEFT", "LEFT", "0"), StringComparison.Ordinal);
        Assert.Equal("+OK\r\n", await client.CommandAsync("SET", "plain", "v"));
        Assert.StartsWith("-WRONGTYPE", await client.CommandAsync("BLPOP", "plain", "0"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bzpopmin_and_bzpopmax_are_woken_by_zadd_and_answer_key_member_and_score()
    {
        await using var consumer = await RespConnection.ConnectAsync(_cluster.ProxyPort);
        await using var producer = await RespConnection.ConnectAsync(_cluster.ProxyPort);

        var min = consumer.CommandAsync("BZPOPMIN", "scores", "0");
        await Task.Delay(NotAnswered);
        Assert.False(min.IsCompleted);
        Assert.Equal(":3\r\n", await producer.CommandAsync("ZADD", "scores", "1", "low", "2", "mid", "3.5", "high"));
        Assert.Equal("*3\r\n$6\r\nscores\r\n$3\r\nlow\r\n$1\r\n1\r\n", await min);
        Assert.Equal("*3\r\n$6\r\nscores\r\n$4\r\nhigh\r\n$3\r\n3.5\r\n", await consumer.CommandAsync("BZPOPMAX", "scores", "0"));
        await AssertCopiesEqualAsync("ZRANGE", "scores", "0", "-1", "WITHSCORES");
    }

    [Fact]
    public async Task Blmove_is_woken_by_a_push_and_moves_the_element_on_every_copy()
    {
        await using var consumer = await RespConnection.ConnectAsync(_cluster.ProxyPort);
        await using var producer = await RespConnection.ConnectAsync(_cluster.ProxyPort);

        var moved = consumer.CommandAsync("BLMOVE", "{q}:todo", "{q}:doing", "RIGHT", "LEFT", "0");
        await Task.Delay(NotAnswered);
        Assert.False(moved.IsCompleted);
        await producer.CommandAsync("RPUSH", "{q}:todo", "a", "b");

        Assert.Equal("$1\r\nb\r\n", await moved);
        Assert.Equal("$1\r\na\r\n", await consumer.CommandAsync("BRPOPLPUSH", "{q}:todo", "{q}:doing", "0"));
        Assert.Equal("*2\r\n$1\r\na\r\n$1\r\nb\r\n", await producer.CommandAsync("LRANGE", "{q}:doing", "0", "-1"));
        await AssertCopiesEqualAsync("LRANGE", "{q}:doing", "0", "-1");
    }

    [Fact]
    public async Task Xread_block_with_the_last_id_is_woken_by_xadd_and_reads_only_the_new_entry()
    {
        await using var reader = await RespConnection.ConnectAsync(_cluster.ProxyPort);
        await using var writer = await RespConnection.ConnectAsync(_cluster.ProxyPort);
        await writer.CommandAsync("XADD", "feed", "1-1", "old", "1");

        var read = reader.CommandAsync("XREAD", "COUNT", "10", "BLOCK", "0", "STREAMS", "feed", "$");
        await Task.Delay(NotAnswered);
        Assert.False(read.IsCompleted);
        await writer.CommandAsync("XADD", "feed", "2-1", "new", "2");

        Assert.Equal("*1\r\n*2\r\n$4\r\nfeed\r\n*1\r\n*2\r\n$3\r\n2-1\r\n*2\r\n$3\r\nnew\r\n$1\r\n2\r\n", await read);
    }

    [Fact]
    public async Task Xreadgroup_block_is_woken_by_xadd_and_every_copy_records_the_same_delivery()
    {
        await using var consumer = await RespConnection.ConnectAsync(_cluster.ProxyPort);
        await using var producer = await RespConnection.ConnectAsync(_cluster.ProxyPort);
        Assert.Equal("+OK\r\n", await producer.CommandAsync("XGROUP", "CREATE", "tasks", "workers", "$", "MKSTREAM"));

        var read = consumer.CommandAsync("XREADGROUP", "GROUP", "workers", "alice", "BLOCK", "0", "STREAMS", "tasks", ">");
        await Task.Delay(NotAnswered);
        Assert.False(read.IsCompleted);
        await producer.CommandAsync("XADD", "tasks", "5-1", "task", "x");

        Assert.Contains("5-1", await read, StringComparison.Ordinal);
        foreach (var copy in CopiesOf("tasks"))
        {
            var pending = await copy.CommandAsync("XPENDING", "tasks", "workers");
            Assert.Equal("*4\r\n:1\r\n$3\r\n5-1\r\n$3\r\n5-1\r\n*1\r\n*2\r\n$5\r\nalice\r\n$1\r\n1\r\n", pending);
        }

        // IDs other than ">" read the consumer's history, which Redis answers at once.
        Assert.Contains("5-1", await consumer.CommandAsync("XREADGROUP", "GROUP", "workers", "alice", "BLOCK", "0", "STREAMS", "tasks", "0"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Requests_pipelined_behind_a_blocking_command_are_answered_after_it_in_order()
    {
        await using var consumer = await RespConnection.ConnectAsync(_cluster.ProxyPort);
        await using var producer = await RespConnection.ConnectAsync(_cluster.ProxyPort);

        await consumer.SendRawAsync([.. RawRedis.Encode(["SET", "before", "1"]), .. RawRedis.Encode(["BLPOP", "line", "0"]), .. RawRedis.Encode(["PING"]), .. RawRedis.Encode(["GET", "before"])]);
        Assert.Equal("+OK\r\n", await consumer.ReadReplyAsync());
        var rest = consumer.ReadReplyAsync();
        await Task.Delay(NotAnswered);
        Assert.False(rest.IsCompleted, "a request behind the blocked BLPOP was answered before it");

        await producer.CommandAsync("RPUSH", "line", "x");
        Assert.Equal("*2\r\n$4\r\nline\r\n$1\r\nx\r\n", await rest);
        Assert.Equal("+PONG\r\n", await consumer.ReadReplyAsync());
        Assert.Equal("$1\r\n1\r\n", await consumer.ReadReplyAsync());
    }

    [Fact]
    public async Task A_client_that_leaves_while_blocked_takes_nothing_pushed_afterwards()
    {
        await using var producer = await RespConnection.ConnectAsync(_cluster.ProxyPort);
        var consumer = await RespConnection.ConnectAsync(_cluster.ProxyPort);
        await consumer.SendAsync("BLPOP", "orphan", "0");
        await WaitForInfoAsync(producer, "blocked_clients:1");
        await consumer.DisposeAsync();
        await WaitForInfoAsync(producer, "blocked_clients:0");

        Assert.Equal(":1\r\n", await producer.CommandAsync("RPUSH", "orphan", "kept"));
        await Task.Delay(NotAnswered);

        Assert.Equal("*1\r\n$4\r\nkept\r\n", await producer.CommandAsync("LRANGE", "orphan", "0", "-1"));
        await AssertCopiesEqualAsync("LRANGE", "orphan", "0", "-1");
    }

    [Fact]
    public async Task The_primary_killed_during_a_wait_does_not_lose_the_client_it_gets_the_next_element()
    {
        await using var consumer = await RespConnection.ConnectAsync(_cluster.ProxyPort);
        await using var producer = await RespConnection.ConnectAsync(_cluster.ProxyPort);
        var popped = consumer.CommandAsync("BLPOP", "survivor", "0");
        await WaitForInfoAsync(producer, "blocked_clients:1");

        CopiesOf("survivor")[0].Kill();
        await Task.Delay(NotAnswered);
        Assert.False(popped.IsCompleted, "BLPOP answered when its primary died");
        Assert.Equal(":1\r\n", await producer.CommandAsync("RPUSH", "survivor", "next"));

        Assert.Equal("*2\r\n$8\r\nsurvivor\r\n$4\r\nnext\r\n", await popped);
        Assert.Equal("*0\r\n", await CopiesOf("survivor")[1].CommandAsync("LRANGE", "survivor", "0", "-1"));
    }

    [Fact]
    public async Task The_primary_stopped_during_a_wait_does_not_lose_the_client_it_gets_the_next_element()
    {
        await using var consumer = await RespConnection.ConnectAsync(_cluster.ProxyPort);
        await using var producer = await RespConnection.ConnectAsync(_cluster.ProxyPort);
        var popped = consumer.CommandAsync("BLPOP", "frozen", "0");
        await WaitForInfoAsync(producer, "blocked_clients:1");

        var primary = CopiesOf("frozen")[0];
        primary.Signal("STOP");
        try
        {
            // The push waits for the stopped copy until the liveness check marks it down (1 s).
            Assert.Equal(":1\r\n", await producer.CommandAsync("RPUSH", "frozen", "next"));
            Assert.Equal("*2\r\n$6\r\nfrozen\r\n$4\r\nnext\r\n", await popped);
            Assert.Equal("*0\r\n", await CopiesOf("frozen")[1].CommandAsync("LRANGE", "frozen", "0", "-1"));
        }
        finally
        {
            primary.Signal("CONT");
        }
    }

    [Fact]
    public async Task Copies_stay_equal_under_many_concurrent_producers_and_blocking_consumers()
    {
        const int Producers = 4;
        const int PerProducer = 150;
        var consumed = new System.Collections.Concurrent.ConcurrentBag<string>();
        var producing = Enumerable.Range(0, Producers).Select(async p =>
        {
            await using var client = await RespConnection.ConnectAsync(_cluster.ProxyPort);
            for (var i = 0; i < PerProducer; i++)
            {
                var job = $"p{p}-{i}";
                await client.CommandAsync(i % 3 == 0 ? "LPUSH" : "RPUSH", i % 2 == 0 ? "{work}:a" : "{work}:b", job);
                if (i % 10 == 0)
                {
                    await client.CommandAsync("ZADD", "{work}:z", i.ToString(CultureInfo.InvariantCulture), job + "z");
                }
            }
        }).ToList();
        var consuming = Enumerable.Range(0, 4).Select(async c =>
        {
            await using var client = await RespConnection.ConnectAsync(_cluster.ProxyPort);
            while (true)
            {
                var reply = (c % 4) switch
                {
                    0 => await client.CommandAsync("BLPOP", "{work}:a", "{work}:b", "1"),
                    1 => await client.CommandAsync("BRPOP", "{work}:b", "{work}:a", "1"),
                    2 => await client.CommandAsync("BLMOVE", "{work}:a", "{work}:moved", "LEFT", "RIGHT", "1"),
                    _ => await client.CommandAsync("BZPOPMIN", "{work}:z", "1"),
                };
                if (reply is "*-1\r\n" or "$-1\r\n")
                {
                    if (producing.All(p => p.IsCompleted))
                    {
                        return;
                    }

                    continue;
                }

                Assert.False(reply.StartsWith('-'), reply);
                var parts = reply.Split("\r\n");
                consumed.Add(c == 3 ? parts[4] : parts[^2]);
            }
        }).ToList();
        await Task.WhenAll(producing);
        await Task.WhenAll(consuming);

        var expected = Enumerable.Range(0, Producers).SelectMany(p => Enumerable.Range(0, PerProducer).Select(i => $"p{p}-{i}")).ToList();
        expected.AddRange(Enumerable.Range(0, Producers).SelectMany(p => Enumerable.Range(0, PerProducer).Where(i => i % 10 == 0).Select(i => $"p{p}-{i}z")));
        // Each element consumed once: none lost, none twice.
        Assert.Equal(expected.Order(StringComparer.Ordinal), consumed.Order(StringComparer.Ordinal));
        foreach (var key in new[] { "{work}:a", "{work}:b", "{work}:moved" })
        {
            await AssertCopiesEqualAsync("LRANGE", key, "0", "-1");
        }

        await AssertCopiesEqualAsync("ZRANGE", "{work}:z", "0", "-1", "WITHSCORES");
    }

    [Fact]
    public async Task A_job_queue_on_ioredis_and_node_redis_consumes_every_job_exactly_once()
    {
        var result = await NodeClientScript.RunAsync("blocking-queue.js", _cluster.ProxyPort, output);

        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Equal("{\"jobs\":200,\"consumedOnce\":200}", result.Json);
        await AssertCopiesEqualAsync("LRANGE", "{queue}:jobs", "0", "-1");
        await AssertCopiesEqualAsync("LRANGE", "{queue}:processing", "0", "-1");
    }

    private List<string> ProxyArguments(params string[] extra)
    {
        var arguments = new List<string> { "--replicas", "2" };
        foreach (var node in _cluster.Nodes)
        {
            arguments.AddRange(["--node", node.Endpoint]);
        }

        arguments.AddRange(extra);
        return arguments;
    }

    private IReadOnlyList<RedisServer> CopiesOf(string key) => [.. _ring.Locate(Encoding.UTF8.GetBytes(key)).Writes.ToArray().Select(i => _cluster.Nodes[i])];

    /// <summary>Reads <paramref name="command"/> on every copy of its key, straight from each redis-server, and compares.</summary>
    private async Task AssertCopiesEqualAsync(params string[] command)
    {
        var copies = CopiesOf(command[1]);
        var first = await copies[0].CommandAsync(command);
        for (var i = 1; i < copies.Count; i++)
        {
            Assert.Equal(first, await copies[i].CommandAsync(command));
        }
    }

    private static async Task WaitForInfoAsync(RespConnection client, string line)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!(await client.CommandAsync("INFO", "clients")).Contains(line, StringComparison.Ordinal))
        {
            Assert.True(DateTime.UtcNow < deadline, $"INFO never showed {line}");
            await Task.Delay(20);
        }
    }
}
