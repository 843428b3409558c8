using System.Buffers;
using System.Text;

namespace RedisRing.Resp.Tests;

/// <summary>
/// A frame that arrives in many small receives is examined about once in all: the readers resume
/// where they stopped instead of starting over at the frame's first byte, which cost quadratic
/// time (a 300,000-element LRANGE timed out through the proxy).
/// </summary>
public sealed class FramingLinearityTests
{
    // Receives the size of a socket read into blocks the size of the proxy's pipe blocks.
    private const int BlockSize = 16 * 1024;

    public static TheoryData<string, int> LargeReplies => new()
    {
        { "array of a million bulks and integers", 1500 },
        { "array of a million bulks and integers", 4096 },
        { "map of maps", 1000 },
        { "one 8 MB bulk", 1000 },
        { "one 1 MB status line", 100 },
    };

    [Theory]
    [MemberData(nameof(LargeReplies))]
    public void A_large_reply_arriving_in_small_receives_is_examined_at_most_three_times_its_size(string shape, int receiveSize)
    {
        var reply = LargeReply(shape);
        var state = default(ReplyScanState);
        var completions = 0;
        long length = 0;
        foreach (var buffer in Deliveries.InReceives(reply, receiveSize, BlockSize))
        {
            var status = ReplyScanner.TryScan(buffer, ref state, out length);
            Assert.NotEqual(RespStatus.ProtocolError, status);
            if (status == RespStatus.Complete)
            {
                completions++;
                Assert.Equal(reply.Length, buffer.Length);
            }
        }

        Assert.Equal(1, completions);
        Assert.Equal(reply.Length, length);
        Assert.InRange(state.BytesExamined, reply.Length, 3L * reply.Length);
    }

    [Fact]
    public void A_large_reply_growing_in_one_array_is_examined_at_most_three_times_its_size()
    {
        var reply = LargeReply("array of a million bulks and integers");
        var state = default(ReplyScanState);
        var status = RespStatus.NeedMoreData;
        long length = 0;
        for (var end = 1000; status == RespStatus.NeedMoreData; end = Math.Min(reply.Length, end + 1000))
        {
            status = ReplyScanner.TryScan(new ReadOnlySequence<byte>(reply, 0, end), ref state, out length);
        }

        Assert.Equal(RespStatus.Complete, status);
        Assert.Equal(reply.Length, length);
        Assert.InRange(state.BytesExamined, reply.Length, 3L * reply.Length);
    }

    public static TheoryData<string, int> LargeRequests => new()
    {
        { "SADD of a million members", 1500 },
        { "SET of an 8 MB value", 1000 },
        { "inline line of 60 KB", 10 },
    };

    [Theory]
    [MemberData(nameof(LargeRequests))]
    public void A_large_request_arriving_in_small_receives_is_examined_at_most_three_times_its_size(string shape, int receiveSize)
    {
        var request = LargeRequest(shape);
        var frame = new RequestFrame();
        var completions = 0;
        foreach (var buffer in Deliveries.InReceives(request, receiveSize, BlockSize))
        {
            var status = RequestReader.TryRead(buffer, frame, RespLimits.Default, out var error);
            Assert.Null(error);
            if (status == RespStatus.Complete)
            {
                completions++;
                Assert.Equal(request.Length, frame.ConsumedLength);
            }
        }

        Assert.Equal(1, completions);
        Assert.InRange(frame.BytesExamined, request.Length, 3L * request.Length);
    }

    [Fact]
    public void A_million_argument_request_keeps_every_argument_in_place()
    {
        var request = LargeRequest("SADD of a million members");
        var frame = new RequestFrame();
        var status = RespStatus.NeedMoreData;
        foreach (var buffer in Deliveries.InReceives(request, 4096, BlockSize))
        {
            status = RequestReader.TryRead(buffer, frame, RespLimits.Default, out _);
        }

        Assert.Equal(RespStatus.Complete, status);
        Assert.Equal(1_000_002, frame.Count);
        Assert.Equal("SADD", Encoding.ASCII.GetString(frame[0]));
        Assert.Equal("big", Encoding.ASCII.GetString(frame[1]));
        Assert.Equal("member:0", Encoding.ASCII.GetString(frame[2]));
        Assert.Equal("member:999999", Encoding.ASCII.GetString(frame[^1]));
        Assert.True(frame.Raw.Span.SequenceEqual(request));
    }

    private static byte[] LargeReply(string shape)
    {
        var text = new StringBuilder();
        switch (shape)
        {
            case "array of a million bulks and integers":
                text.Append("*1000000\r\n");
                for (var i = 0; i < 1_000_000; i++)
                {
                    text.Append(i % 2 == 0 ? $"${6 + Digits(i)}\r\nvalue-{i}\r\n" : $":{i}\r\n");
                }

                break;
            case "map of maps":
                text.Append("%1000\r\n");
                for (var i = 0; i < 1000; i++)
                {
                    text.Append($"+key{i}\r\n%500\r\n");
                    for (var j = 0; j < 500; j++)
                    {
                        text.Append($"$4\r\nf{j % 1000:000}\r\n~1\r\n,{j}.5\r\n");
                    }
                }

                break;
            case "one 8 MB bulk":
                text.Append("$8000000\r\n").Append('x', 8_000_000).Append("\r\n");
                break;
            case "one 1 MB status line":
                text.Append('+').Append('s', 1_000_000).Append("\r\n");
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(shape));
        }

        return Encoding.ASCII.GetBytes(text.ToString());
    }

    private static byte[] LargeRequest(string shape)
    {
        var text = new StringBuilder();
        switch (shape)
        {
            case "SADD of a million members":
                text.Append("*1000002\r\n$4\r\nSADD\r\n$3\r\nbig\r\n");
                for (var i = 0; i < 1_000_000; i++)
                {
                    text.Append($"${7 + Digits(i)}\r\nmember:{i}\r\n");
                }

                break;
            case "SET of an 8 MB value":
                text.Append("*3\r\n$3\r\nSET\r\n$3\r\nbig\r\n$8000000\r\n").Append('v', 8_000_000).Append("\r\n");
                break;
            case "inline line of 60 KB":
                text.Append("SET big ").Append('v', 60_000).Append("\r\n");
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(shape));
        }

        return Encoding.ASCII.GetBytes(text.ToString());
    }

    private static int Digits(int value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture).Length;
}
