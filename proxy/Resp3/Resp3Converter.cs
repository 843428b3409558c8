using System.Buffers;
using System.Buffers.Text;
using RedisRing.Resp;

namespace RedisRing.Proxy.Resp3;

/// <summary>
/// Rewrites one complete RESP2 reply (as a backend or the proxy made it) into RESP3 by its
/// <see cref="ReplyShape"/>. The proxy keeps speaking RESP2 to the nodes and converts on the way
/// out, so split and merged replies (MGET, DEL, INFO, DBSIZE) are merged in RESP2 first and
/// converted once. Errors, integers and simple strings are the same in both.
/// </summary>
internal static class Resp3Converter
{
    // The converted reply is built aside first, so that a reply the shape does not fit can still
    // go out whole; sessions convert on their own thread, one reply at a time.
    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_scratch;

    public static void Write(IBufferWriter<byte> output, ReadOnlySpan<byte> reply, ReplyShape shape)
    {
        if (shape == ReplyShape.Resp2 || reply.IsEmpty || reply[0] == (byte)'-')
        {
            output.Write(reply);
            return;
        }

        var scratch = t_scratch ??= new ArrayBufferWriter<byte>(256);
        scratch.ResetWrittenCount();
        var position = 0;
        try
        {
            if (!TryShape(scratch, reply, ref position, shape))
            {
                // Not a reply the shape fits (a backend's surprise): it goes as RESP2 with its nulls converted.
                scratch.ResetWrittenCount();
                position = 0;
                Plain(scratch, reply, ref position);
            }

            output.Write(scratch.WrittenSpan);
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentOutOfRangeException)
        {
            output.Write(reply);
        }

        if (scratch.Capacity > 1024 * 1024)
        {
            // A large reply's buffer is not kept for the small ones that follow.
            t_scratch = null;
        }
    }

    private static bool TryShape(IBufferWriter<byte> output, ReadOnlySpan<byte> reply, ref int position, ReplyShape shape)
    {
        var type = reply[position];
        if (type is (byte)'$' or (byte)'*' && Header(reply, position, out _, out var nullCheck) && nullCheck < 0)
        {
            Plain(output, reply, ref position);
            return true;
        }

        switch (shape)
        {
            case ReplyShape.Double when type == (byte)'$':
                Double(output, reply, ref position);
                return true;
            case ReplyShape.Verbatim when type == (byte)'$':
                Verbatim(output, reply, ref position);
                return true;
            case ReplyShape.Plain:
                Plain(output, reply, ref position);
                return true;
        }

        if (type != (byte)'*' || !Header(reply, position, out var next, out var count))
        {
            return false;
        }

        var even = count % 2 == 0;
        switch (shape)
        {
            case ReplyShape.Map when even:
                RespWriter.WriteHeader(output, (byte)'%', count / 2);
                position = next;
                Elements(output, reply, ref position, count);
                return true;
            case ReplyShape.Set:
                RespWriter.WriteHeader(output, (byte)'~', count);
                position = next;
                Elements(output, reply, ref position, count);
                return true;
            case ReplyShape.DoubleArray:
                RespWriter.WriteArrayHeader(output, count);
                position = next;
                for (var i = 0; i < count; i++)
                {
                    Double(output, reply, ref position);
                }

                return true;
            case ReplyShape.ScorePairs or ReplyShape.FieldValuePairs when even:
                RespWriter.WriteArrayHeader(output, count / 2);
                position = next;
                for (var i = 0; i < count / 2; i++)
                {
                    output.Write("*2\r\n"u8);
                    Plain(output, reply, ref position);
                    if (shape == ReplyShape.ScorePairs)
                    {
                        Double(output, reply, ref position);
                    }
                    else
                    {
                        Plain(output, reply, ref position);
                    }
                }

                return true;
            case ReplyShape.MemberScore when even:
                RespWriter.WriteArrayHeader(output, count);
                position = next;
                for (var i = 0; i < count / 2; i++)
                {
                    Plain(output, reply, ref position);
                    Double(output, reply, ref position);
                }

                return true;
            case ReplyShape.PairsToMap:
                RespWriter.WriteHeader(output, (byte)'%', count);
                position = next;
                for (var i = 0; i < count; i++)
                {
                    // Each element is a [key, value] array: its header goes, its two elements stay.
                    if (!Header(reply, position, out var inner, out var pair) || pair != 2)
                    {
                        return false;
                    }

                    position = inner;
                    Elements(output, reply, ref position, 2);
                }

                return true;
            case ReplyShape.ArrayOfMaps or ReplyShape.Positions:
                RespWriter.WriteArrayHeader(output, count);
                position = next;
                for (var i = 0; i < count; i++)
                {
                    if (!TryShape(output, reply, ref position, shape == ReplyShape.ArrayOfMaps ? ReplyShape.Map : ReplyShape.DoubleArray))
                    {
                        return false;
                    }
                }

                return true;
            default:
                return false;
        }
    }

    private static void Elements(IBufferWriter<byte> output, ReadOnlySpan<byte> reply, ref int position, long count)
    {
        for (var i = 0; i < count; i++)
        {
            Plain(output, reply, ref position);
        }
    }

    /// <summary>Copies one element, any depth, turning <c>$-1</c> and <c>*-1</c> into <c>_</c>.</summary>
    private static void Plain(IBufferWriter<byte> output, ReadOnlySpan<byte> reply, ref int position)
    {
        var type = reply[position];
        if (!Header(reply, position, out var next, out var value))
        {
            throw new InvalidOperationException("not a complete RESP2 reply");
        }

        switch (type)
        {
            case (byte)'$':
                if (value < 0)
                {
                    output.Write("_\r\n"u8);
                    position = next;
                }
                else
                {
                    var end = next + (int)value + 2;
                    output.Write(reply[position..end]);
                    position = end;
                }

                break;
            case (byte)'*':
                if (value < 0)
                {
                    output.Write("_\r\n"u8);
                    position = next;
                    break;
                }

                output.Write(reply[position..next]);
                position = next;
                Elements(output, reply, ref position, value);
                break;
            default:
                output.Write(reply[position..next]);
                position = next;
                break;
        }
    }

    /// <summary>A bulk string number as a RESP3 double (<c>,1.5</c>, <c>,inf</c>); a null as <c>_</c>.</summary>
    private static void Double(IBufferWriter<byte> output, ReadOnlySpan<byte> reply, ref int position)
    {
        if (reply[position] != (byte)'$' || !Header(reply, position, out var next, out var length) || length < 0)
        {
            Plain(output, reply, ref position);
            return;
        }

        output.Write(","u8);
        output.Write(reply.Slice(next, (int)length));
        output.Write("\r\n"u8);
        position = next + (int)length + 2;
    }

    private static void Verbatim(IBufferWriter<byte> output, ReadOnlySpan<byte> reply, ref int position)
    {
        Header(reply, position, out var next, out var length);
        RespWriter.WriteHeader(output, (byte)'=', length + 4);
        output.Write("txt:"u8);
        output.Write(reply.Slice(next, (int)length + 2));
        position = next + (int)length + 2;
    }

    /// <summary>Reads the line at <paramref name="position"/>: its number (length, count or integer) and where the next item starts.</summary>
    private static bool Header(ReadOnlySpan<byte> reply, int position, out int next, out long value)
    {
        var line = reply[(position + 1)..];
        var end = line.IndexOf("\r\n"u8);
        next = position + 1 + end + 2;
        value = 0;
        if (end < 0)
        {
            return false;
        }

        var type = reply[position];
        return type is not ((byte)'$' or (byte)'*' or (byte)':') || Utf8Parser.TryParse(line[..end], out value, out var used) && used == end;
    }
}
