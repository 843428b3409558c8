using System.Buffers;
using System.Text;

namespace RedisRing.Resp.Tests;

/// <summary>
/// The limits of a client that has not authenticated (<see cref="RespLimits.BeforeAuth"/>): the
/// same checks as any limit, with Redis's "unauthenticated" messages for the two Redis has.
/// </summary>
public sealed class RequestReaderBeforeAuthTests
{
    private static readonly RespLimits s_beforeAuth = new() { MaxArrayLength = 10, MaxBulkLength = 16384, MaxInlineLength = 16384, BeforeAuth = true };

    [Fact]
    public void More_than_ten_arguments_are_refused_at_the_count_with_the_unauthenticated_message()
    {
        var (status, error) = Read("*11\r\n");
        Assert.Equal(RespStatus.ProtocolError, status);
        Assert.Equal("Protocol error: unauthenticated multibulk length", error);
    }

    [Fact]
    public void A_bulk_over_16_KB_is_refused_at_its_length_with_the_unauthenticated_message()
    {
        var (status, error) = Read("*2\r\n$4\r\nAUTH\r\n$16385\r\n");
        Assert.Equal(RespStatus.ProtocolError, status);
        Assert.Equal("Protocol error: unauthenticated bulk length", error);
    }

    [Fact]
    public void Ten_arguments_of_16_KB_each_are_read()
    {
        var request = new StringBuilder("*10\r\n");
        for (var i = 0; i < 10; i++)
        {
            request.Append("$16384\r\n").Append('x', 16384).Append("\r\n");
        }

        Assert.Equal((RespStatus.Complete, null), Read(request.ToString()));
    }

    [Theory]
    [InlineData("*x\r\n", "Protocol error: invalid multibulk length")]
    [InlineData("*3000000000\r\n", "Protocol error: invalid multibulk length")]
    [InlineData("*1\r\n$-5\r\n", "Protocol error: invalid bulk length")]
    public void Malformed_lengths_keep_the_invalid_message_as_in_Redis(string text, string message) =>
        Assert.Equal((RespStatus.ProtocolError, message), Read(text));

    [Fact]
    public void An_inline_line_is_bounded_by_its_limit_too()
    {
        var (status, error) = Read("AUTH " + new string('x', 16384));
        Assert.Equal(RespStatus.ProtocolError, status);
        Assert.Equal("Protocol error: too big inline request", error);
    }

    private static (RespStatus Status, string? Error) Read(string text)
    {
        var status = RequestReader.TryRead(new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes(text)), new RequestFrame(), s_beforeAuth, out var error);
        return (status, error);
    }
}
