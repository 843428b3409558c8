using System.Buffers;
using System.Text;

namespace RedisRing.Resp.Tests;

public sealed class RequestReaderTests
{
    private static (RespStatus Status, string[] Arguments, long Consumed, string? Error) Read(string text, RespLimits? limits = null)
        => Read(new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes(text)), limits);

    private static (RespStatus Status, string[] Arguments, long Consumed, string? Error) Read(ReadOnlySequence<byte> bytes, RespLimits? limits = null)
    {
        var frame = new RequestFrame();
        var status = RequestReader.TryRead(bytes, frame, limits ?? RespLimits.Default, out var error);
        var arguments = status == RespStatus.Complete
            ? Enumerable.Range(0, frame.Count).Select(i => Encoding.UTF8.GetString(frame[i])).ToArray()
            : [];
        return (status, arguments, frame.ConsumedLength, error);
    }

    [Fact]
    public void A_multibulk_request_is_read_with_its_arguments_and_length()
    {
        var (status, arguments, consumed, _) = Read("*2\r\n$3\r\nGET\r\n$3\r\nfoo\r\n*1\r\n");
        Assert.Equal(RespStatus.Complete, status);
        Assert.Equal(["GET", "foo"], arguments);
        Assert.Equal(22, consumed);
    }

    [Theory]
    [InlineData("*2\r\n$3\r\nGET\r\n$3\r\nfo")]
    [InlineData("*2\r\n$3\r\nGET\r\n$3")]
    [InlineData("*2\r\n")]
    [InlineData("*")]
    [InlineData("GET foo")]
    public void An_incomplete_request_needs_more_data(string text) => Assert.Equal(RespStatus.NeedMoreData, Read(text).Status);

    [Theory]
    [InlineData("*x\r\n", "Protocol error: invalid multibulk length")]
    [InlineData("*2\r\n:3\r\n", "Protocol error: expected '$', got ':'")]
    [InlineData("*1\r\n$-5\r\n", "Protocol error: invalid bulk length")]
    [InlineData("*1\r\n$abc\r\n", "Protocol error: invalid bulk length")]
    [InlineData("SET \"foo bar\r\n", "Protocol error: unbalanced quotes in request")]
    [InlineData("SET \"foo\"bar\r\n", "Protocol error: unbalanced quotes in request")]
    public void A_malformed_request_is_a_protocol_error_with_the_redis_message(string text, string message)
    {
        var (status, _, _, error) = Read(text);
        Assert.Equal(RespStatus.ProtocolError, status);
        Assert.Equal(message, error);
    }

    [Fact]
    public void A_bulk_longer_than_the_limit_is_refused_before_it_is_buffered()
    {
        var limits = new RespLimits { MaxBulkLength = 10 };
        var (status, _, _, error) = Read("*2\r\n$3\r\nSET\r\n$11\r\n", limits);
        Assert.Equal(RespStatus.ProtocolError, status);
        Assert.Equal("Protocol error: invalid bulk length", error);
    }

    [Fact]
    public void An_array_longer_than_the_limit_is_refused()
    {
        var (status, _, _, error) = Read("*2000000\r\n");
        Assert.Equal(RespStatus.ProtocolError, status);
        Assert.Equal("Protocol error: invalid multibulk length", error);
    }

    [Fact]
    public void An_inline_line_longer_than_the_limit_is_refused_even_without_a_newline()
    {
        var limits = new RespLimits { MaxInlineLength = 16 };
        var (status, _, _, error) = Read(new string('a', 17), limits);
        Assert.Equal(RespStatus.ProtocolError, status);
        Assert.Equal("Protocol error: too big inline request", error);
    }

    [Fact]
    public void A_length_line_without_its_end_is_bounded_too()
    {
        var limits = new RespLimits { MaxInlineLength = 16 };
        var (status, _, _, error) = Read("*" + new string('1', 40), limits);
        Assert.Equal(RespStatus.ProtocolError, status);
        Assert.Equal("Protocol error: too big mbulk count string", error);
    }

    [Theory]
    [InlineData("SET foo bar\r\n", new[] { "SET", "foo", "bar" })]
    [InlineData("  set   foo  bar  \n", new[] { "set", "foo", "bar" })]
    [InlineData("SET k \"a b\\n\\x41\"\r\n", new[] { "SET", "k", "a b\nA" })]
    [InlineData("SET k 'it\\'s'\r\n", new[] { "SET", "k", "it's" })]
    [InlineData("SET k \"\"\r\n", new[] { "SET", "k", "" })]
    public void Inline_commands_are_split_with_the_redis_quoting_rules(string line, string[] expected)
    {
        var (status, arguments, _, _) = Read(line);
        Assert.Equal(RespStatus.Complete, status);
        Assert.Equal(expected, arguments);
    }

    [Fact]
    public void Inline_commands_are_reencoded_as_a_resp_array()
    {
        var frame = new RequestFrame();
        RequestReader.TryRead(new ReadOnlySequence<byte>("PING hello\r\n"u8.ToArray()), frame, RespLimits.Default, out _);
        Assert.True(frame.IsInline);
        Assert.Equal("*2\r\n$4\r\nPING\r\n$5\r\nhello\r\n", Encoding.UTF8.GetString(frame.Raw.Span));
    }

    [Theory]
    [InlineData("*0\r\n")]
    [InlineData("*-1\r\n")]
    [InlineData("\r\n")]
    [InlineData("   \n")]
    public void Empty_requests_are_complete_with_no_arguments(string text)
    {
        var (status, arguments, consumed, _) = Read(text);
        Assert.Equal(RespStatus.Complete, status);
        Assert.Empty(arguments);
        Assert.Equal(text.Length, consumed);
    }

    [Fact]
    public void A_request_split_over_segments_keeps_its_raw_bytes()
    {
        var bytes = "*3\r\n$3\r\nSET\r\n$3\r\nkey\r\n$5\r\nvalue\r\n"u8.ToArray();
        var frame = new RequestFrame();
        Assert.Equal(RespStatus.Complete, RequestReader.TryRead(Segment.Split(bytes, 3, 10, 20), frame, RespLimits.Default, out _));
        Assert.Equal(bytes, frame.Raw.ToArray());
        Assert.Equal("value", Encoding.UTF8.GetString(frame[2]));
    }

    [Theory]
    [InlineData("0", 0L)]
    [InlineData("-1", -1L)]
    [InlineData("9223372036854775807", long.MaxValue)]
    [InlineData("-9223372036854775808", long.MinValue)]
    public void Integers_parse_like_redis(string text, long expected)
    {
        Assert.True(RequestReader.TryParseInt64(Encoding.ASCII.GetBytes(text), out var value));
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("-")]
    [InlineData("+1")]
    [InlineData("01")]
    [InlineData(" 1")]
    [InlineData("9223372036854775808")]
    public void Integers_redis_refuses_are_refused(string text) => Assert.False(RequestReader.TryParseInt64(Encoding.ASCII.GetBytes(text), out _));
}
