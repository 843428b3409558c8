using System.Buffers;
using System.Text;
using RedisRing.Proxy.Commands;
using RedisRing.Resp;

namespace RedisRing.Proxy.Tests.Unit;

public sealed class CommandTableTests
{
    private static CommandInfo Find(string name) => CommandLookup.Find(Encoding.ASCII.GetBytes(name)) ?? throw new InvalidOperationException(name + " not found");

    private static List<string> Keys(params string[] command)
    {
        var frame = new RequestFrame();
        var bytes = new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes("*" + command.Length + "\r\n" + string.Concat(command.Select(a => $"${a.Length}\r\n{a}\r\n"))));
        RequestReader.TryRead(bytes, frame, RespLimits.Default, out _);
        var info = Find(command[0]);
        if (info.Subcommands is not null && CommandLookup.FindSubcommand(info, frame[1]) is { } sub)
        {
            info = sub;
        }

        var keys = new List<int>();
        var error = KeyFinding.FindKeys(info, frame, keys);
        return error is null ? keys.Select(i => Encoding.UTF8.GetString(frame[i])).ToList() : ["error: " + error];
    }

    [Theory]
    [InlineData("get", "Keyed", false)]
    [InlineData("SET", "Keyed", true)]
    [InlineData("Eval", "Keyed", true)]
    [InlineData("EVAL_RO", "Keyed", false)]
    [InlineData("ZRANGE", "Keyed", false)]
    [InlineData("XADD", "Keyed", true)]
    [InlineData("MGET", "Split", false)]
    [InlineData("DEL", "Split", true)]
    [InlineData("PING", "Local", false)]
    [InlineData("SCAN", "AllNodes", false)]
    [InlineData("FLUSHALL", "Admin", true)]
    [InlineData("BLPOP", "Refused", true)]
    [InlineData("MULTI", "Local", false)]
    [InlineData("WAIT", "Local", false)]
    [InlineData("SUBSCRIBE", "Refused", false)]
    [InlineData("MONITOR", "Refused", false)]
    public void Commands_are_routed_by_their_kind(string name, string route, bool isWrite)
    {
        var info = Find(name);
        Assert.Equal(route, info.Route.ToString());
        Assert.Equal(isWrite, info.IsWrite);
    }

    [Fact]
    public void Every_data_command_family_of_redis_7_is_routable()
    {
        foreach (var name in new[] { "APPEND", "GETEX", "EXPIRE", "PERSIST", "HSET", "HRANDFIELD", "LPOS", "LMOVE", "SINTERSTORE", "SMISMEMBER", "ZADD", "ZRANGESTORE", "SETBIT", "BITFIELD", "PFMERGE", "GEOSEARCH", "XRANGE", "XAUTOCLAIM", "COPY", "DUMP", "RESTORE" })
        {
            Assert.True(Find(name).Route is CommandRoute.Keyed, name);
        }
    }

    [Theory]
    [InlineData(new[] { "GET", "a" }, "a")]
    [InlineData(new[] { "MSET", "a", "1", "b", "2" }, "a,b")]
    [InlineData(new[] { "EVAL", "return 1", "2", "k1", "k2", "arg" }, "k1,k2")]
    [InlineData(new[] { "ZUNIONSTORE", "dst", "2", "s1", "s2", "WEIGHTS", "1", "2" }, "dst,s1,s2")]
    [InlineData(new[] { "LMPOP", "2", "l1", "l2", "LEFT" }, "l1,l2")]
    [InlineData(new[] { "GEORADIUS", "g", "0", "0", "1", "km", "STORE", "dst" }, "g,dst")]
    [InlineData(new[] { "SORT", "l", "LIMIT", "0", "5", "STORE", "dst" }, "l,dst")]
    [InlineData(new[] { "XREAD", "COUNT", "2", "STREAMS", "s1", "s2", "0", "0" }, "s1,s2")]
    [InlineData(new[] { "OBJECT", "ENCODING", "k" }, "k")]
    [InlineData(new[] { "SORT", "l", "BY", "w_*" }, "error: ERR SORT with BY or GET patterns reads other keys, which RedisRing cannot route; use BY nosort and GET #")]
    [InlineData(new[] { "XREAD", "BLOCK", "0", "STREAMS", "s", "$" }, "error: ERR blocking commands are not supported by RedisRing yet (XREAD/XREADGROUP without BLOCK work)")]
    [InlineData(new[] { "EVAL", "return 1", "5", "k" }, "error: ERR Number of keys can't be greater than number of args")]
    public void Keys_are_found_where_each_command_puts_them(string[] command, string expected) => Assert.Equal(expected, string.Join(",", Keys(command)));
}
