using RedisRing.Testing;
using StackExchange.Redis;
using Xunit.Abstractions;

namespace RedisRing.Proxy.Tests.Integration;

/// <summary>HELLO 3: the proxy answers a RESP3 client in the shapes Redis 7 uses, converting the nodes' RESP2 replies.</summary>
public sealed class Resp3Tests(ITestOutputHelper output)
{
    /// <summary>Commands whose RESP3 reply the proxy must send byte for byte as a real redis-server does.</summary>
    private static readonly string[][] s_sameAsRedis =
    [
        ["GET", "r3:missing"],
        ["GET", "r3:s"],
        ["HGETALL", "r3:h"],
        ["HGETALL", "r3:missing"],
        ["SMEMBERS", "r3:set1"],
        ["SINTER", "r3:set1", "r3:set1"],
        ["SUNION", "r3:set1"],
        ["SDIFF", "r3:set1"],
        ["ZSCORE", "r3:z", "a"],
        ["ZSCORE", "r3:z", "nobody"],
        ["ZMSCORE", "r3:z", "a", "nobody", "b"],
        ["ZRANGE", "r3:z", "0", "-1"],
        ["ZRANGE", "r3:z", "0", "-1", "WITHSCORES"],
        ["ZRANGEBYSCORE", "r3:z", "-inf", "+inf", "WITHSCORES"],
        ["ZREVRANGE", "r3:z", "0", "-1", "WITHSCORES"],
        ["ZRANDMEMBER", "r3:one", "1", "WITHSCORES"],
        ["HRANDFIELD", "r3:h1", "1", "WITHVALUES"],
        ["LPOS", "r3:list", "nothing"],
        ["LRANGE", "r3:list", "0", "-1"],
        ["XREAD", "COUNT", "10", "STREAMS", "r3:stream", "0"],
        ["XREAD", "STREAMS", "r3:missing-stream", "0"],
        ["XINFO", "GROUPS", "r3:stream"],
        ["GEOPOS", "r3:geo", "here", "nowhere"],
        ["EXISTS", "r3:s"],
        ["TTL", "r3:s"],
    ];

    [Fact]
    public async Task A_RESP3_client_gets_the_same_bytes_from_the_proxy_as_from_a_redis_server()
    {
        await using var cluster = await RedisRingCluster.StartAsync(output, nodes: 2, replicas: 2);
        await using var redis = await RedisServer.StartAsync(output);
        await using var viaProxy = await RespConnection.ConnectAsync(cluster.ProxyPort);
        await using var direct = await RespConnection.ConnectAsync(redis.Port);
        foreach (var client in new[] { viaProxy, direct })
        {
            Assert.StartsWith("%7\r\n$6\r\nserver\r\n$5\r\nredis\r\n", await client.CommandAsync("HELLO", "3"), StringComparison.Ordinal);
            await client.CommandAsync("SET", "r3:s", "v");
            await client.CommandAsync("HSET", "r3:h", "f1", "v1", "f2", "v2");
            await client.CommandAsync("HSET", "r3:h1", "f", "v");
            await client.CommandAsync("SADD", "r3:set1", "a");
            await client.CommandAsync("ZADD", "r3:z", "1.5", "a", "2", "b", "+inf", "c");
            await client.CommandAsync("ZADD", "r3:one", "3.25", "only");
            await client.CommandAsync("RPUSH", "r3:list", "x", "y");
            await client.CommandAsync("XADD", "r3:stream", "1-1", "f", "v");
            await client.CommandAsync("XGROUP", "CREATE", "r3:stream", "g1", "0");
            await client.CommandAsync("GEOADD", "r3:geo", "13.361389", "38.115556", "here");
        }

        foreach (var command in s_sameAsRedis)
        {
            var expected = await direct.CommandAsync(command);
            Assert.True(expected == await viaProxy.CommandAsync(command), $"{string.Join(' ', command)}: redis sent {Escape(expected)}");
        }

        // Doubles and maps made by the proxy's own conversion also match Redis's bytes.
        Assert.Equal(await direct.CommandAsync("ZINCRBY", "r3:z", "0.25", "a"), await viaProxy.CommandAsync("ZINCRBY", "r3:z", "0.25", "a"));
        Assert.Equal(await direct.CommandAsync("ZADD", "r3:z", "INCR", "1", "b"), await viaProxy.CommandAsync("ZADD", "r3:z", "INCR", "1", "b"));
        Assert.Equal(await direct.CommandAsync("ZPOPMIN", "r3:z"), await viaProxy.CommandAsync("ZPOPMIN", "r3:z"));
        Assert.Equal(await direct.CommandAsync("ZPOPMAX", "r3:z", "2"), await viaProxy.CommandAsync("ZPOPMAX", "r3:z", "2"));
        Assert.Equal(await direct.CommandAsync("SPOP", "r3:set1", "5"), await viaProxy.CommandAsync("SPOP", "r3:set1", "5"));
    }

    [Fact]
    public async Task HELLO_3_switches_replies_to_RESP3_and_HELLO_2_back_with_merged_replies_intact()
    {
        await using var cluster = await RedisRingCluster.StartAsync(output, nodes: 3, replicas: 2);
        await using var client = await RespConnection.ConnectAsync(cluster.ProxyPort);
        Assert.Equal("$-1\r\n", await client.CommandAsync("GET", "missing"));
        var hello = await client.CommandAsync("HELLO", "3", "SETNAME", "r3");
        Assert.StartsWith("%7\r\n", hello, StringComparison.Ordinal);
        Assert.Contains("$5\r\nproto\r\n:3\r\n", hello, StringComparison.Ordinal);
        Assert.Equal("_\r\n", await client.CommandAsync("GET", "missing"));

        // Keys spread over the ring: MGET, EXISTS and DEL are split and merged, then converted.
        for (var i = 0; i < 12; i++)
        {
            Assert.Equal("+OK\r\n", await client.CommandAsync("SET", $"k{i}", $"v{i}"));
        }

        Assert.Equal("*4\r\n$2\r\nv0\r\n_\r\n$2\r\nv5\r\n$3\r\nv11\r\n", await client.CommandAsync("MGET", "k0", "nope", "k5", "k11"));
        Assert.Equal(":3\r\n", await client.CommandAsync("EXISTS", "k0", "k5", "k11", "nope"));
        Assert.Equal(":12\r\n", await client.CommandAsync("DBSIZE"));
        Assert.Equal(":2\r\n", await client.CommandAsync("DEL", "k0", "k5", "nope"));
        var info = await client.CommandAsync("INFO", "server");
        Assert.StartsWith("=", info, StringComparison.Ordinal);
        Assert.Contains("\r\ntxt:# Server", info, StringComparison.Ordinal);
        Assert.Equal("%1\r\n$9\r\ndatabases\r\n$1\r\n1\r\n", await client.CommandAsync("CONFIG", "GET", "databases"));
        Assert.Equal("-ERR CLIENT TRACKING is not supported by RedisRing\r\n", await client.CommandAsync("CLIENT", "TRACKING", "on"));
        Assert.Equal("-NOPROTO unsupported protocol version\r\n", await client.CommandAsync("HELLO", "4"));

        // A pipeline that switches back: each reply in the protocol of its place in the pipeline.
        await client.SendRawAsync(RawRedis.Encode("GET", "missing"));
        await client.SendRawAsync(RawRedis.Encode("HELLO", "2"));
        await client.SendRawAsync(RawRedis.Encode("GET", "missing"));
        Assert.Equal("_\r\n", await client.ReadReplyAsync());
        Assert.StartsWith("*14\r\n", await client.ReadReplyAsync(), StringComparison.Ordinal);
        Assert.Equal("$-1\r\n", await client.ReadReplyAsync());
    }

    [Fact]
    public async Task StackExchange_Redis_with_RESP3_and_redis_cli_3_work_through_the_proxy()
    {
        await using var cluster = await RedisRingCluster.StartAsync(output, nodes: 2, replicas: 2);
        var options = ConfigurationOptions.Parse(cluster.ProxyEndpoint);
        options.Protocol = RedisProtocol.Resp3;
        await using (var connection = await ConnectionMultiplexer.ConnectAsync(options))
        {
            Assert.Equal(RedisProtocol.Resp3, connection.GetServer(cluster.ProxyEndpoint).Protocol);
            var db = connection.GetDatabase();
            await db.HashSetAsync("se3:h", [new HashEntry("f1", "v1"), new HashEntry("f2", "v2")]);
            var hash = await db.HashGetAllAsync("se3:h");
            Assert.Equal(["f1=v1", "f2=v2"], hash.Select(e => $"{e.Name}={e.Value}").Order());
            await db.SetAddAsync("se3:s", ["a", "b"]);
            Assert.Equal(["a", "b"], (await db.SetMembersAsync("se3:s")).Select(v => (string)v!).Order());
            await db.SortedSetAddAsync("se3:z", "m", 2.5);
            Assert.Equal(2.5, await db.SortedSetScoreAsync("se3:z", "m"));
            Assert.Equal(3.5, await db.SortedSetIncrementAsync("se3:z", "m", 1));
            var withScores = await db.SortedSetRangeByRankWithScoresAsync("se3:z");
            Assert.Equal(("m", 3.5), ((string)withScores.Single().Element!, withScores.Single().Score));
            Assert.True((await db.StringGetAsync("se3:missing")).IsNull);
            await db.StringSetAsync("se3:a", "1");
            Assert.Equal(["1", null], (await db.StringGetAsync(["se3:a", "se3:missing"])).Select(v => (string?)v));
        }

        var port = cluster.ProxyPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal("v1", (await RunAsync("redis-cli", ["-3", "-p", port, "HGET", "se3:h", "f1"])).Trim());
        var map = await RunAsync("redis-cli", ["-3", "-p", port, "HGETALL", "se3:h"]);
        Assert.Contains("f1", map, StringComparison.Ordinal);
        Assert.Contains("v2", map, StringComparison.Ordinal);
        Assert.Equal("3.5", (await RunAsync("redis-cli", ["-3", "-p", port, "ZSCORE", "se3:z", "m"])).Trim());
    }

    private static string Escape(string text) => text.Replace("\r", "\\r", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    private static async Task<string> RunAsync(string file, IEnumerable<string> arguments) =>
        (await ToolProcess.RunAsync(file, arguments)).Output;
}
