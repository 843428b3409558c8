using System.Buffers;

namespace RedisRing.Resp;

/// <summary>
/// Finds where one reply from a Redis server ends, without decoding it. Nested arrays are walked
/// with a running count of outstanding elements instead of recursion, so depth costs nothing.
/// </summary>
public static class ReplyScanner
{
    /// <summary>
    /// Tries to find the end of the reply at the start of <paramref name="buffer"/>; on success
    /// <paramref name="length"/> is its size in bytes. RESP2 and the RESP3 types are understood.
    /// </summary>
    public static RespStatus TryScan(in ReadOnlySequence<byte> buffer, out long length)
    {
        // Most replies are small and lie in the first segment: scan them with span indexing.
        if (TryScanSpan(buffer.FirstSpan, out var spanLength))
        {
            length = spanLength;
            return RespStatus.Complete;
        }

        var reader = new SequenceReader<byte>(buffer);
        length = 0;
        long outstanding = 1;
        while (outstanding > 0)
        {
            if (!reader.TryRead(out var type))
            {
                return RespStatus.NeedMoreData;
            }

            if (!reader.TryReadTo(out ReadOnlySequence<byte> line, "\r\n"u8, advancePastDelimiter: true))
            {
                return RespStatus.NeedMoreData;
            }

            outstanding--;
            switch (type)
            {
                case (byte)'+' or (byte)'-' or (byte)':' or (byte)'_' or (byte)',' or (byte)'#' or (byte)'(':
                    break;
                case (byte)'$' or (byte)'!' or (byte)'=':
                    if (!RespInteger.TryParse(line, out var bulk) || bulk < -1)
                    {
                        return RespStatus.ProtocolError;
                    }

                    if (bulk >= 0)
                    {
                        if (reader.Remaining < bulk + 2)
                        {
                            return RespStatus.NeedMoreData;
                        }

                        reader.Advance(bulk + 2);
                    }

                    break;
                case (byte)'*' or (byte)'~' or (byte)'>' or (byte)'%' or (byte)'|':
                    if (!RespInteger.TryParse(line, out var count) || count < -1)
                    {
                        return RespStatus.ProtocolError;
                    }

                    if (count > 0)
                    {
                        outstanding += type is (byte)'%' or (byte)'|' ? count * 2 : count;
                    }

                    break;
                default:
                    return RespStatus.ProtocolError;
            }
        }

        length = reader.Consumed;
        return RespStatus.Complete;
    }

    /// <summary>
    /// Finds the end of a well-formed reply that lies wholly in <paramref name="span"/>. False
    /// when it does not (or is malformed): the sequence path then decides.
    /// </summary>
    private static bool TryScanSpan(ReadOnlySpan<byte> span, out int length)
    {
        length = 0;
        var position = 0;
        long outstanding = 1;
        while (outstanding > 0)
        {
            if (position >= span.Length)
            {
                return false;
            }

            var type = span[position];
            var end = span[position..].IndexOf((byte)'\n');
            if (end <= 0 || span[position + end - 1] != (byte)'\r')
            {
                return false;
            }

            var line = span.Slice(position + 1, end - 2);
            position += end + 1;
            outstanding--;
            switch (type)
            {
                case (byte)'+' or (byte)'-' or (byte)':':
                    break;
                case (byte)'$':
                    if (!RespInteger.TryParse(line, out var bulk) || bulk < -1)
                    {
                        return false;
                    }

                    if (bulk >= 0)
                    {
                        if (span.Length - position < bulk + 2)
                        {
                            return false;
                        }

                        position += (int)bulk + 2;
                    }

                    break;
                case (byte)'*':
                    if (!RespInteger.TryParse(line, out var count) || count < -1)
                    {
                        return false;
                    }

                    if (count > 0)
                    {
                        outstanding += count;
                    }

                    break;
                default:
                    return false;
            }
        }

        length = position;
        return true;
    }
}
