using System.Buffers;

namespace RedisRing.Resp;

/// <summary>
/// Reads client requests: RESP arrays of bulk strings, or inline command lines as typed in telnet.
/// Scans without copying when a frame lies in one buffer segment; checks every limit while
/// scanning, so a hostile length can never make the caller buffer more than the limits allow.
/// </summary>
public static partial class RequestReader
{
    /// <summary>
    /// Tries to read one request from the start of <paramref name="buffer"/>. On
    /// <see cref="RespStatus.Complete"/> the frame holds the request and
    /// <see cref="RequestFrame.ConsumedLength"/> says how many bytes it took (a frame with
    /// <see cref="RequestFrame.Count"/> 0 is an empty request, which Redis ignores). On
    /// <see cref="RespStatus.ProtocolError"/>, <paramref name="error"/> is the message to send
    /// (without the leading '-' and trailing CRLF) before closing the connection.
    /// </summary>
    public static RespStatus TryRead(in ReadOnlySequence<byte> buffer, RequestFrame frame, RespLimits limits, out string? error)
    {
        error = null;
        frame.Reset();
        if (buffer.IsEmpty)
        {
            return RespStatus.NeedMoreData;
        }

        var first = buffer.FirstSpan[0];
        if (first != (byte)'*')
        {
            return TryReadInline(buffer, frame, limits, out error);
        }

        if (TryReadMultiBulkFast(buffer.First, frame, limits))
        {
            return RespStatus.Complete;
        }

        frame.Reset();
        return TryReadMultiBulk(buffer, frame, limits, out error);
    }

    private static RespStatus TryReadMultiBulk(in ReadOnlySequence<byte> buffer, RequestFrame frame, RespLimits limits, out string? error)
    {
        error = null;
        var reader = new SequenceReader<byte>(buffer);
        reader.Advance(1);
        var status = TryReadLength(ref reader, limits, out var count, "Protocol error: too big mbulk count string", ref error);
        if (status != RespStatus.Complete)
        {
            return status;
        }

        if (count > limits.MaxArrayLength || count > int.MaxValue)
        {
            error = limits.BeforeAuth && count <= int.MaxValue ? "Protocol error: unauthenticated multibulk length" : "Protocol error: invalid multibulk length";
            return RespStatus.ProtocolError;
        }

        if (count <= 0)
        {
            // "*0" and "*-1" are empty requests: Redis skips them without a reply.
            frame.ConsumedLength = reader.Consumed;
            return RespStatus.Complete;
        }

        // Argument positions are recorded relative to the start of the frame while scanning, then
        // applied to whichever contiguous memory the frame ends up in.
        Span<(long Start, long Length)> small = stackalloc (long, long)[16];
        (long Start, long Length)[]? large = count > small.Length ? ArrayPool<(long, long)>.Shared.Rent((int)count) : null;
        var positions = large is null ? small : large.AsSpan();
        try
        {
            for (var i = 0; i < count; i++)
            {
                if (!reader.TryRead(out var marker))
                {
                    return RespStatus.NeedMoreData;
                }

                if (marker != (byte)'$')
                {
                    error = $"Protocol error: expected '$', got '{Printable(marker)}'";
                    return RespStatus.ProtocolError;
                }

                status = TryReadLength(ref reader, limits, out var length, "Protocol error: too big bulk count string", ref error);
                if (status != RespStatus.Complete)
                {
                    return status;
                }

                if (length < 0 || length > limits.MaxBulkLength)
                {
                    error = limits.BeforeAuth && length >= 0 ? "Protocol error: unauthenticated bulk length" : "Protocol error: invalid bulk length";
                    return RespStatus.ProtocolError;
                }

                if (reader.Consumed + length + 2 > limits.MaxRequestLength)
                {
                    error = "Protocol error: request larger than the proxy's limit";
                    return RespStatus.ProtocolError;
                }

                if (reader.Remaining < length + 2)
                {
                    return RespStatus.NeedMoreData;
                }

                positions[i] = (reader.Consumed, length);
                reader.Advance(length + 2);
            }

            var total = reader.Consumed;
            var frameBytes = buffer.Slice(0, total);
            ReadOnlyMemory<byte> memory;
            if (frameBytes.IsSingleSegment)
            {
                memory = frameBytes.First;
            }
            else
            {
                var copy = frame.Rent(checked((int)total));
                frameBytes.CopyTo(copy);
                memory = copy.AsMemory(0, (int)total);
            }

            frame.SetSource(memory, isInline: false);
            for (var i = 0; i < count; i++)
            {
                frame.AddArgument((int)positions[i].Start, (int)positions[i].Length);
            }

            frame.ConsumedLength = total;
            return RespStatus.Complete;
        }
        finally
        {
            if (large is not null)
            {
                ArrayPool<(long, long)>.Shared.Return(large);
            }
        }
    }

    /// <summary>Reads a decimal length terminated by CRLF, as Redis's string2ll accepts it.</summary>
    private static RespStatus TryReadLength(ref SequenceReader<byte> reader, RespLimits limits, out long value, string tooLongMessage, ref string? error)
    {
        value = 0;
        if (!reader.TryReadTo(out ReadOnlySequence<byte> line, "\r\n"u8, advancePastDelimiter: true))
        {
            if (reader.Remaining > limits.MaxInlineLength)
            {
                error = tooLongMessage;
                return RespStatus.ProtocolError;
            }

            return RespStatus.NeedMoreData;
        }

        if (line.Length is 0 or > 20 || !RespInteger.TryParse(line, out value))
        {
            error = tooLongMessage.Contains("mbulk", StringComparison.Ordinal)
                ? "Protocol error: invalid multibulk length"
                : "Protocol error: invalid bulk length";
            return RespStatus.ProtocolError;
        }

        return RespStatus.Complete;
    }

    /// <summary>Parses a strict decimal integer (optional '-', no '+', no spaces, no leading zeros).</summary>
    /// <remarks>Kept public for callers that parse numeric arguments (e.g. numkeys); see <see cref="RespInteger"/>.</remarks>
    public static bool TryParseInt64(ReadOnlySpan<byte> digits, out long value) => RespInteger.TryParse(digits, out value);

    private static string Printable(byte b) => b is >= 0x20 and < 0x7f ? ((char)b).ToString() : $"\\x{b:x2}";
}
