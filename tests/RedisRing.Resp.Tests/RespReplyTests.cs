using System.Text;

namespace RedisRing.Resp.Tests;

public sealed class RespReplyTests
{
    private static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    private static string Text(ReadOnlyMemory<byte> bytes) => Encoding.UTF8.GetString(bytes.Span);

    [Fact]
    public void An_error_reply_is_an_error_and_its_message_has_no_marker_or_terminator()
    {
        var reply = Bytes("-WRONGTYPE Operation against a key\r\n");
        Assert.True(RespReply.IsError(reply));
        Assert.Equal("WRONGTYPE Operation against a key", RespReply.GetErrorMessage(reply));
    }

    [Theory]
    [InlineData("+OK\r\n")]
    [InlineData(":1\r\n")]
    [InlineData("$1\r\n-\r\n")]
    [InlineData("")]
    public void Other_replies_are_not_errors(string text) => Assert.False(RespReply.IsError(Bytes(text)));

    [Fact]
    public void An_error_too_short_to_hold_a_message_reads_as_ERR() => Assert.Equal("ERR", RespReply.GetErrorMessage(Bytes("-\r\n")));

    [Fact]
    public void A_simple_string_is_its_text()
    {
        var reply = Bytes("+PONG\r\n");
        Assert.Equal("PONG", Text(RespReply.GetString(reply)!.Value));
        Assert.Equal("PONG", RespReply.GetText(reply));
    }

    [Fact]
    public void An_empty_simple_string_is_empty_not_null() => Assert.Equal(0, RespReply.GetString(Bytes("+\r\n"))!.Value.Length);

    [Theory]
    [InlineData(":0\r\n", 0L)]
    [InlineData(":42\r\n", 42L)]
    [InlineData(":-2\r\n", -2L)]
    [InlineData(":9223372036854775807\r\n", long.MaxValue)]
    [InlineData(":-9223372036854775808\r\n", long.MinValue)]
    public void An_integer_reply_is_its_value(string text, long expected)
    {
        Assert.True(RespReply.TryGetInteger(Bytes(text), out var value));
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData(":9223372036854775808\r\n")]
    [InlineData(":-9223372036854775809\r\n")]
    [InlineData(":99999999999999999999999\r\n")]
    [InlineData(":\r\n")]
    [InlineData(":-\r\n")]
    [InlineData(":+1\r\n")]
    [InlineData(":01\r\n")]
    [InlineData(": 1\r\n")]
    [InlineData(":1x\r\n")]
    [InlineData(":12ab")]
    [InlineData("+1\r\n")]
    [InlineData("$1\r\n1\r\n")]
    [InlineData("-ERR\r\n")]
    [InlineData("")]
    public void Overflowing_malformed_or_other_replies_are_not_integers(string text) => Assert.False(RespReply.TryGetInteger(Bytes(text), out _));

    [Fact]
    public void A_bulk_string_is_its_content_even_when_it_holds_CRLF()
    {
        var reply = Bytes("$7\r\na\r\nb\r\nc\r\n");
        Assert.Equal("a\r\nb\r\nc", Text(RespReply.GetString(reply)!.Value));
    }

    [Fact]
    public void An_empty_bulk_string_is_empty_not_null() => Assert.Equal(0, RespReply.GetString(Bytes("$0\r\n\r\n"))!.Value.Length);

    [Fact]
    public void A_null_bulk_string_is_null_and_its_text_empty()
    {
        var reply = Bytes("$-1\r\n");
        Assert.Null(RespReply.GetString(reply));
        Assert.Equal(string.Empty, RespReply.GetText(reply));
    }

    [Fact]
    public void A_bulk_string_is_a_slice_of_the_reply_not_a_copy()
    {
        var reply = Bytes("$3\r\nabc\r\n");
        var content = RespReply.GetString(reply)!.Value;
        reply[4] = (byte)'x';
        Assert.Equal("xbc", Text(content));
    }

    [Theory]
    [InlineData(":1\r\n")]
    [InlineData("-ERR no\r\n")]
    [InlineData("*1\r\n$1\r\na\r\n")]
    [InlineData("$5\r\nab\r\n")]
    [InlineData("$9999999999\r\nab\r\n")]
    [InlineData("$-2\r\n")]
    [InlineData("$x\r\n")]
    [InlineData("+OK")]
    [InlineData("\r\n")]
    [InlineData("")]
    public void Other_or_malformed_replies_have_no_string(string text) => Assert.Null(RespReply.GetString(Bytes(text)));

    [Fact]
    public void An_array_splits_into_whole_raw_elements()
    {
        var elements = new List<ReadOnlyMemory<byte>>();
        Assert.True(RespReply.TrySplitArray(Bytes("*4\r\n$3\r\nfoo\r\n$-1\r\n:7\r\n+OK\r\n"), elements));
        Assert.Equal(["$3\r\nfoo\r\n", "$-1\r\n", ":7\r\n", "+OK\r\n"], elements.Select(Text));
    }

    [Fact]
    public void A_nested_array_is_one_element_and_splits_again()
    {
        // A SCAN reply: the cursor, then an array of keys.
        var elements = new List<ReadOnlyMemory<byte>>();
        var keys = new List<ReadOnlyMemory<byte>>();
        Assert.True(RespReply.TrySplitArray(Bytes("*2\r\n$2\r\n17\r\n*2\r\n$1\r\na\r\n*-1\r\n"), elements));
        Assert.Equal(["$2\r\n17\r\n", "*2\r\n$1\r\na\r\n*-1\r\n"], elements.Select(Text));
        Assert.Equal("17", RespReply.GetText(elements[0]));
        Assert.True(RespReply.TrySplitArray(elements[1], keys));
        Assert.Equal(["$1\r\na\r\n", "*-1\r\n"], keys.Select(Text));
        Assert.False(RespReply.TrySplitArray(keys[1], elements));
    }

    [Fact]
    public void An_empty_array_splits_into_nothing()
    {
        var elements = new List<ReadOnlyMemory<byte>> { Bytes("stale") };
        Assert.True(RespReply.TrySplitArray(Bytes("*0\r\n"), elements));
        Assert.Empty(elements);
    }

    [Theory]
    [InlineData("*-1\r\n")]
    [InlineData("-ERR no\r\n")]
    [InlineData("$3\r\nfoo\r\n")]
    [InlineData("*2\r\n$3\r\nfoo\r\n")]
    [InlineData("*1\r\n$3\r\nfo")]
    [InlineData("*1\r\n?x\r\n")]
    [InlineData("*-2\r\n")]
    [InlineData("*x\r\n")]
    [InlineData("*1")]
    [InlineData("")]
    public void A_null_array_another_type_or_a_malformed_array_does_not_split(string text)
        => Assert.False(RespReply.TrySplitArray(Bytes(text), []));
}
