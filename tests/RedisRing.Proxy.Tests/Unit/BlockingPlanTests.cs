using System.Buffers;
using System.Text;
using RedisRing.Proxy.Blocking;
using RedisRing.Proxy.Commands;
using RedisRing.Resp;

namespace RedisRing.Proxy.Tests.Unit;

/// <summary>How each blocking command becomes the non-blocking command that does its pop (docs/protocol.md, "Blocking commands").</summary>
public sealed class BlockingPlanTests
{
    private static (BlockingPlan? Plan, string? Error) Plan(params string[] command)
    {
        var frame = new RequestFrame();
        var bytes = new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes("*" + command.Length + "\r\n" + string.Concat(command.Select(a => $"${a.Length}\r\n{a}\r\n"))));
        RequestReader.TryRead(bytes, frame, RespLimits.Default, out _);
        var plan = BlockingPlan.Create(frame, CommandLookup.Find(frame[0])!, out var error);
        return (plan, error);
    }

    private static string Text(List<byte[]> arguments) => string.Join(" ", arguments.Select(a => Encoding.UTF8.GetString(a)));

    [Theory]
    [InlineData(new[] { "BLPOP", "a", "b", "1.5" }, "LMPOP 2 a b LEFT", "a,b", 1500)]
    [InlineData(new[] { "BRPOP", "a", "0" }, "LMPOP 1 a RIGHT", "a", -1)]
    [InlineData(new[] { "BZPOPMIN", "z", "2" }, "ZMPOP 1 z MIN", "z", 2000)]
    [InlineData(new[] { "BZPOPMAX", "z", "y", "0.01" }, "ZMPOP 2 z y MAX", "z,y", 10)]
    [InlineData(new[] { "BLMPOP", "3", "2", "a", "b", "RIGHT", "COUNT", "5" }, "LMPOP 2 a b RIGHT COUNT 5", "a,b", 3000)]
    [InlineData(new[] { "BZMPOP", "0", "1", "z", "MIN" }, "ZMPOP 1 z MIN", "z", -1)]
    [InlineData(new[] { "BLMOVE", "src", "dst", "LEFT", "RIGHT", "1" }, "LMOVE src dst LEFT RIGHT", "src", 1000)]
    [InlineData(new[] { "BRPOPLPUSH", "src", "dst", "0" }, "RPOPLPUSH src dst", "src", -1)]
    [InlineData(new[] { "XREAD", "COUNT", "2", "BLOCK", "250", "STREAMS", "s", "t", "$", "0" }, "XREAD COUNT 2 STREAMS s t $ 0", "s,t", 250)]
    [InlineData(new[] { "XREADGROUP", "GROUP", "g", "c", "BLOCK", "0", "NOACK", "STREAMS", "s", ">" }, "XREADGROUP GROUP g c NOACK STREAMS s >", "s", -1)]
    [InlineData(new[] { "BLPOP", "a", "0.0001" }, "LMPOP 1 a LEFT", "a", 1)]
    [InlineData(new[] { "BLPOP", "a", "1e12" }, "LMPOP 1 a LEFT", "a", -1)]
    public void Each_blocking_command_pops_with_its_non_blocking_form(string[] command, string nonBlocking, string keys, long timeoutMs)
    {
        var (plan, error) = Plan(command);

        Assert.Null(error);
        Assert.Equal(nonBlocking, Text(plan!.Arguments));
        Assert.Equal(keys, string.Join(",", plan.Keys.Select(k => Encoding.UTF8.GetString(k))));
        Assert.Equal(timeoutMs, plan.Timeout is { } t ? (long)t.TotalMilliseconds : -1);
        Assert.True(plan.Blocks);
    }

    [Fact]
    public void Xread_dollar_ids_are_marked_for_resolution_and_xreadgroup_history_does_not_block()
    {
        var (read, _) = Plan("XREAD", "BLOCK", "0", "STREAMS", "s", "t", "$", "5-0");
        Assert.Equal([(4, 2)], read!.LastIdArguments);

        var (history, _) = Plan("XREADGROUP", "GROUP", "g", "c", "BLOCK", "0", "STREAMS", "s", "0");
        Assert.False(history!.Blocks);
    }

    [Theory]
    [InlineData(new[] { "BLPOP", "a", "soon" }, "ERR timeout is not a float or out of range")]
    [InlineData(new[] { "BLPOP", "a", "-0.5" }, "ERR timeout is negative")]
    [InlineData(new[] { "BLMOVE", "a", "b", "LEFT", "LEFT", "nan" }, "ERR timeout is not a float or out of range")]
    [InlineData(new[] { "BLPOP", "a", "1e20" }, "ERR timeout is out of range")]
    [InlineData(new[] { "XREAD", "BLOCK", "1.5", "STREAMS", "s", "$" }, "ERR timeout is not an integer or out of range")]
    [InlineData(new[] { "XREAD", "BLOCK", "-1", "STREAMS", "s", "$" }, "ERR timeout is negative")]
    [InlineData(new[] { "BLMPOP", "1", "0", "a", "LEFT" }, "ERR numkeys should be greater than 0")]
    public void Bad_timeouts_get_redis_errors(string[] command, string expected)
    {
        var (plan, error) = Plan(command);

        Assert.Null(plan);
        Assert.Equal(expected, error);
    }
}
