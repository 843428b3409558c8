using System.Buffers;
using System.Text;
using RedisRing.Resp;

namespace RedisRing.Proxy.Buffers;

/// <summary>
/// Decodes the few reply shapes the proxy must look inside (integers, bulk strings, arrays of
/// them), from a contiguous copy of one reply. Everything else is forwarded without decoding.
/// </summary>
internal static class ReplyParser
{
    public static bool IsError(ReadOnlySpan<byte> reply) => !reply.IsEmpty && reply[0] == (byte)'-';

    public static bool TryGetInteger(ReadOnlySpan<byte> reply, out long value)
    {
        value = 0;
        return reply.Length > 3 && reply[0] == (byte)':' && RequestReader.TryParseInt64(reply[1..^2], out value);
    }

    /// <summary>Returns the header line's content (after the type byte) and the rest.</summary>
    private static bool TryReadLine(ReadOnlySpan<byte> data, out byte type, out ReadOnlySpan<byte> line, out int consumed)
    {
        type = 0;
        line = default;
        consumed = 0;
        var end = data.IndexOf("\r\n"u8);
        if (data.IsEmpty || end < 0)
        {
            return false;
        }

        type = data[0];
        line = data[1..end];
        consumed = end + 2;
        return true;
    }

    /// <summary>
    /// Splits an array reply into its elements' raw bytes (each element a whole RESP value).
    /// Returns false when the reply is not an array (for example an error or a null array).
    /// </summary>
    public static bool TrySplitArray(ReadOnlyMemory<byte> reply, List<ReadOnlyMemory<byte>> elements)
    {
        elements.Clear();
        if (!TryReadLine(reply.Span, out var type, out var line, out var consumed) || type != (byte)'*' || !RequestReader.TryParseInt64(line, out var count) || count < 0)
        {
            return false;
        }

        var rest = reply[consumed..];
        for (var i = 0; i < count; i++)
        {
            if (ReplyScanner.TryScan(new ReadOnlySequence<byte>(rest), out var length) != RespStatus.Complete)
            {
                return false;
            }

            elements.Add(rest[..(int)length]);
            rest = rest[(int)length..];
        }

        return true;
    }

    /// <summary>The content of a bulk or simple string reply; null for a null bulk or another type.</summary>
    public static ReadOnlyMemory<byte>? GetString(ReadOnlyMemory<byte> reply)
    {
        if (!TryReadLine(reply.Span, out var type, out var line, out var consumed))
        {
            return null;
        }

        if (type == (byte)'+')
        {
            return reply[1..(consumed - 2)];
        }

        if (type == (byte)'$' && RequestReader.TryParseInt64(line, out var length) && length >= 0)
        {
            return reply.Slice(consumed, (int)length);
        }

        return null;
    }

    public static string GetText(ReadOnlyMemory<byte> reply) => GetString(reply) is { } bytes ? Encoding.UTF8.GetString(bytes.Span) : string.Empty;

    /// <summary>The message of an error reply without the leading '-' and trailing CRLF.</summary>
    public static string GetErrorMessage(ReadOnlySpan<byte> reply) => reply.Length > 3 ? Encoding.UTF8.GetString(reply[1..^2]) : "ERR";
}
