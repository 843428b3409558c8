using RedisRing.Testing;
using Xunit.Abstractions;

namespace RedisRing.Proxy.Tests.Integration;

/// <summary>Request handling through a real proxy over three real redis-servers.</summary>
public sealed class ProxyBasicsTests(ITestOutputHelper output) : IAsyncLifetime
{
    private RedisRingCluster _cluster = null!;

    // KEYS is an administrative command (it blocks every node); the DBSIZE/SCAN/KEYS test enables it.
    public async Task InitializeAsync() => _cluster = await RedisRingCluster.StartAsync(output, 3, 2, "--allow-admin", "KEYS");

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    private Task<RespConnection> ConnectAsync() => RespConnection.ConnectAsync(_cluster.ProxyPort);

    [Fact]
    public async Task Set_stores_the_key_on_two_nodes_and_get_reads_it_back()
    {
        await using var client = await ConnectAsync();
        Assert.Equal("+OK\r\n", await client.CommandAsync("SET", "greeting", "hello"));
        Assert.Equal("$5\r\nhello\r\n", await client.CommandAsync("GET", "greeting"));
        var holders = 0;
        foreach (var node in _cluster.Nodes)
        {
            if (await node.CommandAsync("GET", "greeting") == "$5\r\nhello\r\n")
            {
                holders++;
            }
        }

        Assert.Equal(2, holders);
    }

    [Fact]
    public async Task Pipelined_replies_come_back_in_request_order_across_nodes()
    {
        await using var client = await ConnectAsync();
        var writes = new List<byte>();
        for (var i = 0; i < 200; i++)
        {
            writes.AddRange(RawRedis.Encode("SET", $"key:{i}", $"value:{i}"));
        }

        for (var i = 0; i < 200; i++)
        {
            writes.AddRange(RawRedis.Encode("GET", $"key:{i}"));
        }

        await client.SendRawAsync([.. writes]);
        for (var i = 0; i < 200; i++)
        {
            Assert.Equal("+OK\r\n", await client.ReadReplyAsync());
        }

        for (var i = 0; i < 200; i++)
        {
            var value = $"value:{i}";
            Assert.Equal($"${value.Length}\r\n{value}\r\n", await client.ReadReplyAsync());
        }
    }

    [Fact]
    public async Task Inline_commands_work_as_typed_in_telnet()
    {
        await using var client = await ConnectAsync();
        await client.SendRawAsync("SET inline \"two words\"\r\nGET inline\r\nPING\r\n"u8.ToArray());
        Assert.Equal("+OK\r\n", await client.ReadReplyAsync());
        Assert.Equal("$9\r\ntwo words\r\n", await client.ReadReplyAsync());
        Assert.Equal("+PONG\r\n", await client.ReadReplyAsync());
    }

    [Fact]
    public async Task A_protocol_error_gets_a_resp_error_and_the_connection_closes()
    {
        await using var client = await ConnectAsync();
        await client.SendRawAsync("*1\r\n:oops\r\n"u8.ToArray());
        Assert.Equal("-ERR Protocol error: expected '$', got ':'\r\n", await client.ReadReplyAsync());
        Assert.True(await client.IsClosedByServerAsync(TimeSpan.FromSeconds(5)));
        await using var other = await ConnectAsync();
        Assert.Equal("+PONG\r\n", await other.CommandAsync("PING"));
    }

    [Fact]
    public async Task Multi_key_commands_are_split_across_nodes_and_merged_in_order()
    {
        await using var client = await ConnectAsync();
        var msetArgs = new List<string> { "MSET" };
        for (var i = 0; i < 30; i++)
        {
            msetArgs.Add($"m:{i}");
            msetArgs.Add($"v{i}");
        }

        Assert.Equal("+OK\r\n", await client.CommandAsync([.. msetArgs]));
        var mget = await client.CommandAsync(["MGET", .. Enumerable.Range(0, 30).Select(i => $"m:{i}"), "missing"]);
        var expected = "*31\r\n" + string.Concat(Enumerable.Range(0, 30).Select(i => $"${$"v{i}".Length}\r\nv{i}\r\n")) + "$-1\r\n";
        Assert.Equal(expected, mget);
        Assert.Equal(":31\r\n", await client.CommandAsync(["EXISTS", .. Enumerable.Range(0, 30).Select(i => $"m:{i}"), "missing", "m:0"]));
        Assert.Equal(":30\r\n", await client.CommandAsync(["DEL", .. Enumerable.Range(0, 30).Select(i => $"m:{i}"), "missing"]));
        Assert.Equal("*2\r\n$-1\r\n$-1\r\n", await client.CommandAsync("MGET", "m:0", "m:1"));
    }

    [Fact]
    public async Task Keys_in_different_places_cannot_meet_in_one_command_but_hash_tags_can()
    {
        await using var client = await ConnectAsync();

        // Pick two keys the ring puts on different replica sets (similar names often share one).
        var ring = RedisRing.Ring.HashRing.Create(
            _cluster.Nodes.Select(n => RedisRing.Ring.RingNode.FromEndpoint("127.0.0.1", n.Port)).ToList(),
            new RedisRing.Ring.RingOptions { Replicas = 2 });
        var first = "cross:0";
        var second = Enumerable.Range(1, 1000).Select(i => $"cross:{i}")
            .First(k => ring.Locate(System.Text.Encoding.UTF8.GetBytes(k)).Id != ring.Locate(System.Text.Encoding.UTF8.GetBytes(first)).Id);
        var reply = await client.CommandAsync("SUNIONSTORE", first, second);
        Assert.StartsWith("-CROSSSLOT", reply, StringComparison.Ordinal);
        Assert.Equal(":2\r\n", await client.CommandAsync("SADD", "{user1}:a", "x", "y"));
        Assert.Equal(":1\r\n", await client.CommandAsync("SADD", "{user1}:b", "z"));
        Assert.Equal(":3\r\n", await client.CommandAsync("SUNIONSTORE", "{user1}:all", "{user1}:a", "{user1}:b"));
        Assert.Equal("+OK\r\n", await client.CommandAsync("RENAME", "{user1}:all", "{user1}:renamed"));
        Assert.Equal(":3\r\n", await client.CommandAsync("SCARD", "{user1}:renamed"));
    }

    [Fact]
    public async Task Administrative_and_unsupported_commands_are_refused_with_clear_errors()
    {
        await using var client = await ConnectAsync();
        Assert.StartsWith("-ERR FLUSHALL is an administrative command", await client.CommandAsync("FLUSHALL"), StringComparison.Ordinal);
        Assert.StartsWith("-ERR CONFIG SET is an administrative command", await client.CommandAsync("CONFIG", "SET", "maxmemory", "1"), StringComparison.Ordinal);
        Assert.StartsWith("-ERR blocking commands", await client.CommandAsync("BLPOP", "q", "0"), StringComparison.Ordinal);
        Assert.StartsWith("-ERR pub/sub", await client.CommandAsync("PUBLISH", "c", "m"), StringComparison.Ordinal);
        Assert.StartsWith("-ERR This instance has cluster support disabled", await client.CommandAsync("CLUSTER", "NODES"), StringComparison.Ordinal);
        Assert.StartsWith("-ERR unknown command 'NOSUCHCOMMAND'", await client.CommandAsync("NOSUCHCOMMAND", "x"), StringComparison.Ordinal);
        Assert.StartsWith("-ERR wrong number of arguments for 'get' command", await client.CommandAsync("GET"), StringComparison.Ordinal);
        Assert.StartsWith("-ERR DB index is out of range", await client.CommandAsync("SELECT", "1"), StringComparison.Ordinal);
        Assert.StartsWith("-NOPROTO", await client.CommandAsync("HELLO", "3"), StringComparison.Ordinal);
        Assert.Equal("+OK\r\n", await client.CommandAsync("SELECT", "0"));
    }

    [Fact]
    public async Task Dbsize_scan_and_keys_count_every_key_once_although_it_has_two_copies()
    {
        await using var client = await ConnectAsync();
        for (var i = 0; i < 150; i++)
        {
            await client.SendAsync("SET", $"scan:{i}", "x");
        }

        for (var i = 0; i < 150; i++)
        {
            Assert.Equal("+OK\r\n", await client.ReadReplyAsync());
        }

        Assert.Equal(":150\r\n", await client.CommandAsync("DBSIZE"));
        var seen = new List<string>();
        var cursor = "0";
        var rounds = 0;
        do
        {
            var reply = await client.CommandAsync("SCAN", cursor, "COUNT", "20");
            var lines = reply.Split("\r\n");
            cursor = lines[2];
            for (var i = 4; i + 1 < lines.Length; i += 2)
            {
                seen.Add(lines[i + 1]);
            }

            Assert.True(++rounds < 1000, "SCAN did not finish");
        }
        while (cursor != "0");
        Assert.Equal(150, seen.Count);
        Assert.Equal(150, seen.Distinct().Count());
        var keys = await client.CommandAsync("KEYS", "scan:*");
        Assert.StartsWith("*150\r\n", keys, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Spop_removes_the_same_member_from_every_copy()
    {
        await using var client = await ConnectAsync();
        Assert.Equal(":6\r\n", await client.CommandAsync("SADD", "popset", "a", "b", "c", "d", "e", "f"));
        await client.CommandAsync("SPOP", "popset");
        await client.CommandAsync("SPOP", "popset", "2");
        var copies = new List<string>();
        foreach (var node in _cluster.Nodes)
        {
            var members = await node.CommandAsync("SMEMBERS", "popset");
            if (members != "*0\r\n")
            {
                copies.Add(string.Join(",", members.Split("\r\n").Where(l => l.Length == 1).Order()));
            }
        }

        Assert.Equal(2, copies.Count);
        Assert.Equal(copies[0], copies[1]);
        Assert.Equal(3, copies[0].Split(',').Length);
    }

    [Fact]
    public async Task Proxy_answers_connection_commands_itself()
    {
        await using var client = await ConnectAsync();
        Assert.Equal("$2\r\nhi\r\n", await client.CommandAsync("ECHO", "hi"));
        Assert.Equal("+OK\r\n", await client.CommandAsync("CLIENT", "SETNAME", "tester"));
        Assert.Equal("$6\r\ntester\r\n", await client.CommandAsync("CLIENT", "GETNAME"));
        Assert.StartsWith(":", await client.CommandAsync("COMMAND", "COUNT"), StringComparison.Ordinal);
        Assert.StartsWith("*1\r\n*10\r\n$3\r\nget\r\n:2\r\n", await client.CommandAsync("COMMAND", "INFO", "get"), StringComparison.Ordinal);
        var info = await client.CommandAsync("INFO");
        Assert.Contains("redis_version:7.0.15", info, StringComparison.Ordinal);
        Assert.Contains("ring_nodes:3", info, StringComparison.Ordinal);
        Assert.Contains("state=up", info, StringComparison.Ordinal);
        Assert.Equal("*2\r\n$9\r\ndatabases\r\n$1\r\n1\r\n", await client.CommandAsync("CONFIG", "GET", "databases"));
        Assert.Equal("+OK\r\n", await client.CommandAsync("QUIT"));
        Assert.True(await client.IsClosedByServerAsync(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task Scripts_run_on_every_copy_and_script_load_reaches_every_node()
    {
        await using var client = await ConnectAsync();
        var sha = (await client.CommandAsync("SCRIPT", "LOAD", "return redis.call('INCRBY', KEYS[1], ARGV[1])")).Split("\r\n")[1];
        Assert.Equal(":5\r\n", await client.CommandAsync("EVALSHA", sha, "1", "counter", "5"));
        Assert.Equal(":7\r\n", await client.CommandAsync("EVAL", "return redis.call('INCRBY', KEYS[1], ARGV[1])", "1", "counter", "2"));
        var copies = 0;
        foreach (var node in _cluster.Nodes)
        {
            copies += await node.CommandAsync("GET", "counter") == "$1\r\n7\r\n" ? 1 : 0;
        }

        Assert.Equal(2, copies);
        Assert.Equal("*1\r\n:1\r\n", await client.CommandAsync("SCRIPT", "EXISTS", sha));
        Assert.StartsWith("-ERR 'eval' without keys", await client.CommandAsync("EVAL", "return 1", "0"), StringComparison.Ordinal);
    }
}
