using System.Buffers;

namespace RedisRing.Resp;

/// <summary>
/// Reads client requests: RESP arrays of bulk strings, or inline command lines as typed in telnet.
/// Scans without copying when a frame lies in one buffer segment; checks every limit while
/// scanning, so a hostile length can never make the caller buffer more than the limits allow.
/// A request that arrives in many receives is scanned once in all: the frame keeps how far the
/// reader got, and the next call resumes there.
/// </summary>
public static partial class RequestReader
{
    /// <summary>
    /// Tries to read one request from the start of <paramref name="buffer"/>. On
    /// <see cref="RespStatus.Complete"/> the frame holds the request and
    /// <see cref="RequestFrame.ConsumedLength"/> says how many bytes it took (a frame with
    /// <see cref="RequestFrame.Count"/> 0 is an empty request, which Redis ignores). On
    /// <see cref="RespStatus.ProtocolError"/>, <paramref name="error"/> is the message to send
    /// (without the leading '-' and trailing CRLF) before closing the connection. After
    /// <see cref="RespStatus.NeedMoreData"/> call again with the same frame and a buffer with the
    /// same start and more bytes (as a pipe reader gives after <c>AdvanceTo(buffer.Start, buffer.End)</c>);
    /// to read from another buffer instead, <see cref="RequestFrame.Reset"/> the frame first.
    /// </summary>
    public static RespStatus TryRead(in ReadOnlySequence<byte> buffer, RequestFrame frame, RespLimits limits, out string? error)
    {
        error = null;

        // A frame that stopped inside a request resumes it (the caller passes the same buffer
        // start with more bytes); otherwise it is cleared for the next request.
        var resuming = frame.Scan.InProgress;
        if (!resuming)
        {
            frame.Reset();
        }

        if (buffer.IsEmpty)
        {
            return RespStatus.NeedMoreData;
        }

        var first = buffer.FirstSpan[0];
        if (first != (byte)'*')
        {
            return EndScan(frame, TryReadInline(buffer, frame, limits, out error));
        }

        if (!resuming && TryReadMultiBulkFast(buffer.First, frame, limits))
        {
            return RespStatus.Complete;
        }

        return EndScan(frame, TryReadMultiBulk(buffer, frame, limits, out error));
    }

    /// <summary>Forgets the scan's progress once the request is complete or has failed.</summary>
    private static RespStatus EndScan(RequestFrame frame, RespStatus status)
    {
        if (status != RespStatus.NeedMoreData)
        {
            frame.Scan = default;
        }

        return status;
    }

    /// <summary>
    /// Reads a RESP array of bulk strings, resuming from <see cref="RequestFrame.Scan"/>: each
    /// byte is looked at once however many receives the request takes. Argument positions are
    /// recorded in the frame relative to the request's start while scanning, then applied to
    /// whichever contiguous memory the request ends up in.
    /// </summary>
    private static RespStatus TryReadMultiBulk(in ReadOnlySequence<byte> buffer, RequestFrame frame, RespLimits limits, out string? error)
    {
        error = null;
        ref var scan = ref frame.Scan;
        scan.InProgress = true;
        var start = scan.Scanned;
        var reader = new SequenceReader<byte>(start == 0 ? buffer : buffer.Slice(scan.Position));
        if (!scan.CountRead)
        {
            reader.Advance(1);
            frame.BytesExamined++;
            var status = TryReadLength(ref reader, frame, limits, out var count, "Protocol error: too big mbulk count string", ref error);
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

            scan.CountRead = true;
            scan.Count = (int)count;
        }

        while (true)
        {
            // The payload of the argument whose header was read last is skipped by its length.
            if (scan.PendingPayload > 0)
            {
                if (reader.Remaining < scan.PendingPayload)
                {
                    SaveProgress(ref scan, start, reader.Position, reader.Consumed);
                    return RespStatus.NeedMoreData;
                }

                reader.Advance(scan.PendingPayload);
                frame.BytesExamined += scan.PendingPayload;
                scan.PendingPayload = 0;
            }

            if (scan.ArgumentsFound == scan.Count)
            {
                break;
            }

            // An incomplete header is read again from its '$' next time; a partial line is not
            // searched again (see RequestScanState.LineSearched).
            var headerPosition = reader.Position;
            var headerConsumed = reader.Consumed;
            if (!reader.TryRead(out var marker))
            {
                SaveProgress(ref scan, start, headerPosition, headerConsumed);
                return RespStatus.NeedMoreData;
            }

            frame.BytesExamined++;
            if (marker != (byte)'$')
            {
                error = $"Protocol error: expected '$', got '{Printable(marker)}'";
                return RespStatus.ProtocolError;
            }

            var status = TryReadLength(ref reader, frame, limits, out var length, "Protocol error: too big bulk count string", ref error);
            if (status == RespStatus.NeedMoreData)
            {
                SaveProgress(ref scan, start, headerPosition, headerConsumed);
            }

            if (status != RespStatus.Complete)
            {
                return status;
            }

            if (length < 0 || length > limits.MaxBulkLength)
            {
                error = limits.BeforeAuth && length >= 0 ? "Protocol error: unauthenticated bulk length" : "Protocol error: invalid bulk length";
                return RespStatus.ProtocolError;
            }

            var payloadStart = start + reader.Consumed;
            if (payloadStart + length + 2 > limits.MaxRequestLength)
            {
                error = "Protocol error: request larger than the proxy's limit";
                return RespStatus.ProtocolError;
            }

            frame.SetArgument(scan.ArgumentsFound++, checked((int)payloadStart), checked((int)length));
            scan.PendingPayload = length + 2;
        }

        var total = start + reader.Consumed;
        var frameBytes = buffer.Slice(0, total);
        ReadOnlyMemory<byte> memory;
        if (frameBytes.IsSingleSegment)
        {
            memory = frameBytes.First;
        }
        else
        {
            var copy = frame.GetCopyBuffer(checked((int)total));
            frameBytes.CopyTo(copy);
            memory = copy.AsMemory(0, (int)total);
        }

        frame.SetSource(memory, isInline: false);
        frame.SetArgumentCount(scan.Count);
        frame.ConsumedLength = total;
        return RespStatus.Complete;
    }

    private static void SaveProgress(ref RequestScanState scan, long start, SequencePosition position, long consumed)
    {
        scan.Scanned = start + consumed;
        scan.Position = position;
    }

    /// <summary>
    /// Reads a decimal length terminated by CRLF, as Redis's string2ll accepts it. A line still
    /// unterminated is remembered as searched so far, and searched on from there next time.
    /// </summary>
    private static RespStatus TryReadLength(ref SequenceReader<byte> reader, RequestFrame frame, RespLimits limits, out long value, string tooLongMessage, ref string? error)
    {
        value = 0;
        var lineStart = reader.Position;
        var lineStartConsumed = reader.Consumed;
        var available = reader.Remaining;

        // Skip what an earlier call already searched, less one byte: it may be the CR of the CRLF.
        var skip = Math.Max(0, frame.Scan.LineSearched - 1);
        reader.Advance(skip);
        if (!reader.TryReadTo(out ReadOnlySequence<byte> _, "\r\n"u8, advancePastDelimiter: false))
        {
            frame.BytesExamined += available - skip;
            if (available > limits.MaxInlineLength)
            {
                error = tooLongMessage;
                return RespStatus.ProtocolError;
            }

            frame.Scan.LineSearched = available;
            return RespStatus.NeedMoreData;
        }

        var lineLength = reader.Consumed - lineStartConsumed;
        frame.BytesExamined += lineLength - skip + 2;
        frame.Scan.LineSearched = 0;
        reader.Advance(2);
        if (lineLength is 0 or > 20 || !RespInteger.TryParse(reader.Sequence.Slice(lineStart, lineLength), out value))
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
