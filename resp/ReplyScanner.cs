using System.Buffers;

namespace RedisRing.Resp;

/// <summary>
/// Finds where one reply from a Redis server ends, without decoding it. Nested arrays are walked
/// with a running count of outstanding elements instead of recursion, so depth costs nothing.
/// A reply that arrives in many receives is scanned once in all: each call resumes where the
/// previous one stopped (see <see cref="ReplyScanState"/>).
/// </summary>
public static class ReplyScanner
{
    /// <summary>
    /// Tries to find the end of the reply at the start of <paramref name="buffer"/>; on success
    /// <paramref name="length"/> is its size in bytes. RESP2 and the RESP3 types are understood.
    /// Scans from the first byte every time: for callers whose buffer moves between calls.
    /// </summary>
    public static RespStatus TryScan(in ReadOnlySequence<byte> buffer, out long length)
    {
        var state = default(ReplyScanState);
        return TryScan(buffer, ref state, out length);
    }

    /// <summary>
    /// Tries to find the end of the reply at the start of <paramref name="buffer"/>, resuming
    /// from <paramref name="state"/>. After <see cref="RespStatus.NeedMoreData"/> call again with
    /// the same buffer start and more bytes; after <see cref="RespStatus.Complete"/> (with
    /// <paramref name="length"/> the reply's size) or <see cref="RespStatus.ProtocolError"/>,
    /// reset the state before the next reply.
    /// </summary>
    public static RespStatus TryScan(in ReadOnlySequence<byte> buffer, ref ReplyScanState state, out long length)
    {
        length = 0;
        long outstanding;
        SequenceReader<byte> reader;
        var spanScanned = false;
        if (!state.Started)
        {
            // Most replies are small and lie in the first segment: scan them with span indexing.
            outstanding = 1;
            var scanned = ScanWholeElements(buffer.FirstSpan, ref outstanding);
            state.BytesExamined += scanned;
            if (outstanding == 0)
            {
                length = scanned;
                return RespStatus.Complete;
            }

            state.Started = true;
            reader = new SequenceReader<byte>(buffer);
            reader.Advance(scanned);
            spanScanned = true;
        }
        else
        {
            outstanding = state.Outstanding;
            reader = new SequenceReader<byte>(state.Scanned == 0 ? buffer : buffer.Slice(state.Position));
        }

        var status = ScanElements(ref reader, ref state, ref outstanding, spanScanned);
        if (status == RespStatus.Complete)
        {
            length = state.Scanned + reader.Consumed;
        }

        return status;
    }

    /// <summary>
    /// Scans from the reader until <paramref name="outstanding"/> reaches zero. Whole elements in
    /// the current segment go through the span path; an element that straddles segments, is
    /// incomplete or is malformed goes through <see cref="ScanOneElement"/>. On
    /// <see cref="RespStatus.NeedMoreData"/> the state records where to resume.
    /// </summary>
    private static RespStatus ScanElements(ref SequenceReader<byte> reader, ref ReplyScanState state, ref long outstanding, bool spanScanned)
    {
        var start = state.Scanned;
        while (true)
        {
            // A bulk payload left unfinished by the last call is skipped by its length; a header
            // line left unfinished is searched on from where it stopped, not by the span path,
            // which would start over at the header.
            if (state.PendingPayload > 0)
            {
                if (reader.Remaining < state.PendingPayload)
                {
                    Save(ref state, start, reader.Position, reader.Consumed, outstanding);
                    return RespStatus.NeedMoreData;
                }

                reader.Advance(state.PendingPayload);
                state.BytesExamined += state.PendingPayload;
                state.PendingPayload = 0;
            }

            if (outstanding == 0)
            {
                return RespStatus.Complete;
            }

            if (state.LineSearched == 0 && !spanScanned)
            {
                var scanned = ScanWholeElements(reader.UnreadSpan, ref outstanding);
                reader.Advance(scanned);
                state.BytesExamined += scanned;
                if (outstanding == 0)
                {
                    return RespStatus.Complete;
                }
            }

            spanScanned = false;
            var elementStart = reader.Position;
            var elementConsumed = reader.Consumed;
            var status = ScanOneElement(ref reader, ref state, ref outstanding);
            if (status == RespStatus.NeedMoreData)
            {
                if (state.PendingPayload > 0)
                {
                    // The header was read: resume at its payload.
                    Save(ref state, start, reader.Position, reader.Consumed, outstanding);
                }
                else
                {
                    // The header itself is incomplete: resume at its first byte.
                    Save(ref state, start, elementStart, elementConsumed, outstanding);
                }

                return status;
            }

            if (status == RespStatus.ProtocolError)
            {
                return status;
            }
        }
    }

    private static void Save(ref ReplyScanState state, long start, SequencePosition position, long consumed, long outstanding)
    {
        state.Scanned = start + consumed;
        state.Position = position;
        state.Outstanding = outstanding;
    }

    /// <summary>
    /// Reads one element header at the reader, and the payload of a bulk string. On
    /// <see cref="RespStatus.NeedMoreData"/> either the header was read and
    /// <see cref="ReplyScanState.PendingPayload"/> says how much payload is missing (the reader is
    /// at the payload), or the header is incomplete and
    /// <see cref="ReplyScanState.LineSearched"/> says how much of it was searched.
    /// </summary>
    private static RespStatus ScanOneElement(ref SequenceReader<byte> reader, ref ReplyScanState state, ref long outstanding)
    {
        if (!reader.TryRead(out var type))
        {
            return RespStatus.NeedMoreData;
        }

        if (!IsKnownType(type))
        {
            return RespStatus.ProtocolError;
        }

        var lineStart = reader.Position;
        var lineStartConsumed = reader.Consumed;
        var available = reader.Remaining;

        // Skip what an earlier call already searched, less one byte: it may be the CR of the CRLF.
        var skip = Math.Max(0, state.LineSearched - 1);
        reader.Advance(skip);
        if (!reader.TryReadTo(out ReadOnlySequence<byte> _, "\r\n"u8, advancePastDelimiter: false))
        {
            state.BytesExamined += 1 + available - skip;
            state.LineSearched = available;
            return RespStatus.NeedMoreData;
        }

        var lineLength = reader.Consumed - lineStartConsumed;
        state.BytesExamined += 1 + lineLength - skip + 2;
        state.LineSearched = 0;
        reader.Advance(2);
        outstanding--;
        switch (type)
        {
            case (byte)'$' or (byte)'!' or (byte)'=':
                if (!TryParseLength(reader.Sequence.Slice(lineStart, lineLength), out var bulk) || bulk < -1 || bulk > long.MaxValue - 2)
                {
                    return RespStatus.ProtocolError;
                }

                if (bulk >= 0)
                {
                    if (reader.Remaining < bulk + 2)
                    {
                        state.PendingPayload = bulk + 2;
                        return RespStatus.NeedMoreData;
                    }

                    reader.Advance(bulk + 2);
                    state.BytesExamined += bulk + 2;
                }

                break;
            case (byte)'*' or (byte)'~' or (byte)'>' or (byte)'%' or (byte)'|':
                if (!TryParseLength(reader.Sequence.Slice(lineStart, lineLength), out var count) || count < -1)
                {
                    return RespStatus.ProtocolError;
                }

                if (count > 0)
                {
                    outstanding += type is (byte)'%' or (byte)'|' ? count * 2 : count;
                }

                break;
        }

        return RespStatus.Complete;
    }

    private static bool TryParseLength(in ReadOnlySequence<byte> line, out long value)
    {
        value = 0;
        return line.Length <= 20 && RespInteger.TryParse(line, out value);
    }

    private static bool IsKnownType(byte type) => type is (byte)'+' or (byte)'-' or (byte)':' or (byte)'_' or (byte)',' or (byte)'#' or (byte)'('
        or (byte)'$' or (byte)'!' or (byte)'='
        or (byte)'*' or (byte)'~' or (byte)'>' or (byte)'%' or (byte)'|';

    /// <summary>
    /// Scans the well-formed elements that lie wholly in <paramref name="span"/>, in order, and
    /// returns the bytes they take; stops before the first element that does not fit, is
    /// malformed or until <paramref name="outstanding"/> reaches zero. The sequence path decides
    /// about the element it stopped at.
    /// </summary>
    private static int ScanWholeElements(ReadOnlySpan<byte> span, ref long outstanding)
    {
        var position = 0;
        while (outstanding > 0 && position < span.Length)
        {
            var rest = span[position..];
            var type = rest[0];
            var end = rest.IndexOf((byte)'\n');
            if (end < 2 || rest[end - 1] != (byte)'\r')
            {
                return position;
            }

            var line = rest.Slice(1, end - 2);
            var next = end + 1;
            switch (type)
            {
                case (byte)'+' or (byte)'-' or (byte)':' or (byte)'_' or (byte)',' or (byte)'#' or (byte)'(':
                    outstanding--;
                    break;
                case (byte)'$' or (byte)'!' or (byte)'=':
                    if (!RespInteger.TryParse(line, out var bulk) || bulk < -1)
                    {
                        return position;
                    }

                    if (bulk >= 0)
                    {
                        if (rest.Length - next - 2 < bulk)
                        {
                            return position;
                        }

                        next += (int)bulk + 2;
                    }

                    outstanding--;
                    break;
                case (byte)'*' or (byte)'~' or (byte)'>' or (byte)'%' or (byte)'|':
                    if (!RespInteger.TryParse(line, out var count) || count < -1)
                    {
                        return position;
                    }

                    outstanding--;
                    if (count > 0)
                    {
                        outstanding += type is (byte)'%' or (byte)'|' ? count * 2 : count;
                    }

                    break;
                default:
                    return position;
            }

            position += next;
        }

        return position;
    }
}
