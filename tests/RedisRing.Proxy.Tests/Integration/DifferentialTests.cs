using System.Globalization;
using RedisRing.Testing;
using Xunit.Abstractions;

namespace RedisRing.Proxy.Tests.Integration;

/// <summary>
/// The same random stream of commands, sent to one plain redis-server and to the proxy over
/// three nodes, must get the same replies, byte for byte.
/// </summary>
public sealed class DifferentialTests(ITestOutputHelper output)
{
    private static readonly string[] s_keys = [.. Enumerable.Range(0, 12).Select(i => $"k{i}"), .. Enumerable.Range(0, 4).Select(i => $"{{t}}{i}")];

    private static string Key(Random r) => s_keys[r.Next(s_keys.Length)];

    private static string TaggedKey(Random r) => $"{{t}}{r.Next(4)}";

    private static string Int(Random r, int max = 20) => r.Next(max).ToString(CultureInfo.InvariantCulture);

    private static string Value(Random r) => r.Next(4) switch
    {
        0 => Int(r, 100),
        1 => "",
        2 => new string((char)('a' + r.Next(26)), r.Next(1, 40)),
        _ => "v" + Int(r, 1000),
    };

    /// <summary>One random command from every family the proxy routes, avoiding commands whose
    /// replies are random (SPOP, SRANDMEMBER) or depend on the hash table layout (SMEMBERS of
    /// non-integer sets, SCAN order).</summary>
    private static string[] RandomCommand(Random r) => r.Next(42) switch
    {
        0 => ["SET", Key(r), Value(r)],
        1 => ["GET", Key(r)],
        2 => ["APPEND", Key(r), Value(r)],
        3 => ["INCR", Key(r)],
        4 => ["INCRBY", Key(r), Int(r)],
        5 => ["STRLEN", Key(r)],
        6 => ["GETRANGE", Key(r), "0", Int(r, 5)],
        7 => ["SETRANGE", Key(r), Int(r, 5), Value(r)],
        8 => ["MSET", Key(r), Value(r), Key(r), Value(r), Key(r), Value(r)],
        9 => ["MGET", Key(r), Key(r), Key(r), Key(r)],
        10 => ["DEL", Key(r), Key(r)],
        11 => ["EXISTS", Key(r), Key(r), Key(r)],
        12 => ["TYPE", Key(r)],
        13 => ["HSET", Key(r), "f" + Int(r, 4), Value(r)],
        14 => ["HGET", Key(r), "f" + Int(r, 4)],
        15 => ["HGETALL", Key(r)],
        16 => ["HINCRBY", Key(r), "f" + Int(r, 4), Int(r)],
        17 => ["HDEL", Key(r), "f" + Int(r, 4)],
        18 => ["LPUSH", Key(r), Value(r), Value(r)],
        19 => ["RPUSH", Key(r), Value(r)],
        20 => ["LPOP", Key(r)],
        21 => ["RPOP", Key(r), "2"],
        22 => ["LRANGE", Key(r), "0", "-1"],
        23 => ["LINDEX", Key(r), Int(r, 4)],
        24 => ["SADD", Key(r), Int(r), Int(r)],
        25 => ["SREM", Key(r), Int(r)],
        26 => ["SMEMBERS", Key(r)],
        27 => ["SISMEMBER", Key(r), Int(r)],
        28 => ["ZADD", Key(r), Int(r), "m" + Int(r, 5)],
        29 => ["ZRANGE", Key(r), "0", "-1", "WITHSCORES"],
        30 => ["ZINCRBY", Key(r), Int(r), "m" + Int(r, 5)],
        31 => ["ZPOPMIN", Key(r)],
        32 => ["SETBIT", Key(r), Int(r, 64), Int(r, 2)],
        33 => ["BITCOUNT", Key(r)],
        34 => ["PFADD", Key(r), Value(r)],
        35 => ["PFCOUNT", Key(r)],
        36 => ["XLEN", Key(r)],
        37 => ["SUNIONSTORE", TaggedKey(r), TaggedKey(r), TaggedKey(r)],
        38 => ["LMOVE", TaggedKey(r), TaggedKey(r), "LEFT", "RIGHT"],
        39 => ["RENAME", TaggedKey(r), TaggedKey(r)],
        40 => ["GEOADD", Key(r), "13.36", "38.11", "m" + Int(r, 3)],
        _ => ["EVAL", "return redis.call('INCRBY', KEYS[1], ARGV[1])", "1", Key(r), Int(r)],
    };

    [Fact]
    public async Task A_random_pipelined_command_stream_gets_the_same_replies_as_a_single_redis()
    {
        await using var reference = await RedisServer.StartAsync(output);
        await using var cluster = await RedisRingCluster.StartAsync(output);
        await using var direct = await RespConnection.ConnectAsync(reference.Port);
        await using var proxied = await RespConnection.ConnectAsync(cluster.ProxyPort);
        var random = new Random(20261126);
        var compared = 0;
        for (var batch = 0; batch < 150; batch++)
        {
            var commands = Enumerable.Range(0, random.Next(1, 25)).Select(_ => RandomCommand(random)).ToList();
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
        Assert.True(compared > 1000);
    }
}
