using System.Buffers;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace RedisRing.Resp.Tests;

public sealed class RequestReaderPropertyTests
{
    private static byte[] Encode(byte[][] arguments)
    {
        var stream = new MemoryStream();
        stream.Write(Encoding.ASCII.GetBytes($"*{arguments.Length}\r\n"));
        foreach (var argument in arguments)
        {
            stream.Write(Encoding.ASCII.GetBytes($"${argument.Length}\r\n"));
            stream.Write(argument);
            stream.Write("\r\n"u8);
        }

        return stream.ToArray();
    }

    [Property(MaxTest = 300)]
    public bool Any_request_split_at_any_byte_boundaries_reads_the_same(NonEmptyArray<byte[]> generated, int[] cuts)
    {
        var arguments = generated.Get.Select(a => a ?? []).ToArray();
        var bytes = Encode(arguments);
        var frame = new RequestFrame();
        var sequence = Segment.Split(bytes, cuts.Select(c => Math.Abs(c % (bytes.Length + 1))).ToArray());
        if (RequestReader.TryRead(sequence, frame, RespLimits.Default, out _) != RespStatus.Complete)
        {
            return false;
        }

        return frame.ConsumedLength == bytes.Length
            && frame.Count == arguments.Length
            && Enumerable.Range(0, arguments.Length).All(i => frame[i].SequenceEqual(arguments[i]))
            && frame.Raw.Span.SequenceEqual(bytes);
    }

    [Property(MaxTest = 300)]
    public bool Every_strict_prefix_of_a_request_needs_more_data(NonEmptyArray<byte[]> generated, PositiveInt cut)
    {
        var bytes = Encode(generated.Get.Select(a => a ?? []).ToArray());
        var prefix = bytes.AsSpan(0, cut.Get % bytes.Length).ToArray();
        var frame = new RequestFrame();
        return prefix.Length == 0 || RequestReader.TryRead(new ReadOnlySequence<byte>(prefix), frame, RespLimits.Default, out _) == RespStatus.NeedMoreData;
    }

    [Property(MaxTest = 1000)]
    public bool Random_garbage_never_throws_and_never_claims_more_than_it_was_given(byte[] garbage)
    {
        var limits = new RespLimits { MaxInlineLength = 1024, MaxBulkLength = 1024, MaxArrayLength = 64, MaxRequestLength = 4096 };
        var frame = new RequestFrame();
        var bytes = garbage ?? [];
        var status = RequestReader.TryRead(new ReadOnlySequence<byte>(bytes), frame, limits, out var error);
        return status switch
        {
            RespStatus.Complete => frame.ConsumedLength <= bytes.Length,
            RespStatus.ProtocolError => error is { Length: > 0 },
            _ => bytes.Length <= limits.MaxRequestLength,
        };
    }

    [Property(MaxTest = 300)]
    public bool The_reply_scanner_finds_the_end_of_nested_replies_split_anywhere(int[] cuts)
    {
        var reply = "*3\r\n$3\r\nfoo\r\n*2\r\n:1\r\n$-1\r\n+OK\r\n"u8.ToArray();
        var sequence = Segment.Split(reply, (cuts ?? []).Select(c => Math.Abs(c % (reply.Length + 1))).ToArray());
        return ReplyScanner.TryScan(sequence, out var length) == RespStatus.Complete && length == reply.Length
            && ReplyScanner.TryScan(sequence.Slice(0, reply.Length - 1), out _) == RespStatus.NeedMoreData;
    }
}
